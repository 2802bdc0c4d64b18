import { DatabaseUnavailableError } from '@confidant/db';
import { BaseError } from '@confidant/errors';
import { httpStatusOf as kindStatusOf } from '@confidant/server';
import { TeeRequestTooLargeError } from './tee/errors.js';

// Every message here names what was refused and why, never the secret value or the signature.

/** The request is malformed: a bad address, signature, name or body. */
export class InvalidSecretRequestError extends BaseError {
  override name = 'InvalidSecretRequestError';
  constructor(reason: string, hint: string) {
    super(reason, { hints: [hint], kind: 'invalid-input' });
  }
}

/** The body is larger than the SMS keeps (4096 bytes, as iExec's SMS). */
export class SecretTooLargeError extends BaseError {
  override name = 'SecretTooLargeError';
  constructor(limit: number) {
    super(`the secret is larger than ${limit} bytes`, {
      hints: [`Send at most ${limit} bytes; for a larger secret, encrypt it, store it elsewhere and push its key instead.`],
      kind: 'invalid-input',
    });
  }
}

/** The request has no `Authorization` header. */
export class MissingAuthorizationError extends BaseError {
  override name = 'MissingAuthorizationError';
  constructor() {
    super('the request has no Authorization header', {
      hints: [
        'Sign the challenge of this secret (see challenges.ts) with personal_sign and send the signature as the Authorization header.',
      ],
      kind: 'unauthenticated',
    });
  }
}

/** The signature is valid but not from the account allowed to set this secret. */
export class WrongSignerError extends BaseError {
  override name = 'WrongSignerError';
  readonly signer: string;
  readonly expected: string;
  constructor(what: string, signer: string, expected: string) {
    super(`the challenge was signed by ${signer}, but only ${expected} may set ${what}`, {
      details: 'A signature over another secret value, address or name also recovers to an unexpected account.',
      hints: [`Sign the challenge of exactly this request with ${expected}'s account.`],
      kind: 'unauthenticated',
    });
    this.signer = signer;
    this.expected = expected;
  }
}

/** The secret's dataset or app is not registered on the chain the SMS follows, so it has no owner. */
export class UnknownAssetError extends BaseError {
  override name = 'UnknownAssetError';
  constructor(kind: 'app' | 'dataset', address: string) {
    super(`${kind} ${address} is not registered on this network, so nobody can set its secret`, {
      hints: [`Check the address, create the ${kind} first, and check that this SMS follows the network it was created on.`],
      kind: 'unauthenticated',
    });
  }
}

/** The secret exists and cannot be changed (all but web2 secrets are immutable). */
export class SecretExistsError extends BaseError {
  override name = 'SecretExistsError';
  constructor(what: string, updatable: boolean) {
    super(`${what} is already set and cannot be pushed again`, {
      hints: [
        updatable
          ? 'Send PUT to the same URL to replace its value.'
          : 'Secrets of this kind are immutable: use a new one (a new dataset, a new key name).',
      ],
      kind: 'conflict',
    });
  }
}

/** An update names a web2 secret that was never created. */
export class SecretNotFoundError extends BaseError {
  override name = 'SecretNotFoundError';
  constructor(what: string) {
    super(`${what} does not exist`, { hints: ['Create it with POST first.'], kind: 'not-found' });
  }
}

/** Too many writes (pushes, TEE challenges and sessions) from one client in a short time. */
export class RateLimitedError extends BaseError {
  override name = 'RateLimitedError';
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(`too many requests from this address; retry in ${retryAfterSeconds} s`, {
      hints: [`Wait ${retryAfterSeconds} s (the Retry-After header) before the next push or session request.`],
      kind: 'unavailable',
    });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** No route has this path. */
export class RouteNotFoundError extends BaseError {
  override name = 'RouteNotFoundError';
  constructor(path: string) {
    super(`no such endpoint: ${path}`, {
      hints: [
        'The SMS serves /secrets/web3, /secrets/web2, /requesters/{address}/secrets/{key}, /apps/{address}/secrets, /tee/challenges/{taskId}, /tee/sessions and /health.',
      ],
      kind: 'not-found',
    });
  }
}

/** The path exists but not with this method. */
export class MethodNotAllowedError extends BaseError {
  override name = 'MethodNotAllowedError';
  readonly allowed: readonly string[];
  constructor(method: string, path: string, allowed: readonly string[]) {
    super(`${method} is not served on ${path}`, { hints: [`Use ${allowed.join(', ')}.`], kind: 'invalid-input' });
    this.allowed = allowed;
  }
}

/** The chain could not be read (to find a secret's owner, or a task, deal or app for a session). */
export class ChainUnavailableError extends BaseError {
  override name = 'ChainUnavailableError';
  constructor(cause: unknown, purpose = 'check who owns this secret') {
    super(`the SMS could not read the chain to ${purpose}`, {
      details: cause instanceof Error ? cause.message.split('\n')[0] : undefined,
      hints: ['Retry in a moment; if it persists, check the SMS chain RPC URL.'],
      cause,
      kind: 'unavailable',
    });
  }
}

/** The master key is missing or not 32 bytes. */
export class InvalidMasterKeyError extends BaseError {
  override name = 'InvalidMasterKeyError';
  constructor(reason: string) {
    super(`the SMS master key ${reason}`, {
      hints: [
        'Set SMS_MASTER_KEY (or pass masterKey) to 32 random bytes in base64 or hex, e.g. from `openssl rand -base64 32`, and keep it: secrets stored under it are lost without it.',
      ],
      kind: 'invalid-input',
    });
  }
}

/** The database holds secrets encrypted under another master key. */
export class MasterKeyMismatchError extends BaseError {
  override name = 'MasterKeyMismatchError';
  constructor() {
    super('the SMS database was created with another master key', {
      hints: ['Start the SMS with the master key it was first started with, or with an empty database.'],
      kind: 'invalid-input',
    });
  }
}

/** A stored row does not open under the master key and its identity: tampered or moved. */
export class SecretUnreadableError extends BaseError {
  override name = 'SecretUnreadableError';
  constructor(what: string) {
    super(`${what} could not be decrypted`, {
      hints: ['Its row was changed or moved outside the SMS; push the secret again under a new identity.'],
      kind: 'internal',
    });
  }
}

/** The SMS's settings are invalid. */
export class InvalidSmsConfigError extends BaseError {
  override name = 'InvalidSmsConfigError';
  constructor(reason: string, hint: string) {
    super(reason, { hints: [hint], kind: 'invalid-input' });
  }
}

/** The SMS database could not be opened or migrated. */
export class SmsDatabaseUnavailableError extends DatabaseUnavailableError {
  override name = 'SmsDatabaseUnavailableError';
  constructor(target: string, cause: unknown) {
    super(target, cause, 'SMS');
  }
}

/**
 * The HTTP status of an SMS refusal: the statuses no kind says (413, 429, 405), else the kind's in
 * the server kit's one table.
 *
 * @example
 * res.statusCode = httpStatusOf(new SecretExistsError('the key of dataset 0x…', false)); // 409
 */
export function httpStatusOf(error: BaseError): number {
  if (error instanceof SecretTooLargeError || error instanceof TeeRequestTooLargeError) return 413;
  if (error instanceof RateLimitedError) return 429;
  if (error instanceof MethodNotAllowedError) return 405;
  return kindStatusOf(error);
}
