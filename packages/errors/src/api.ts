import { z } from 'zod';
import { BaseError } from './BaseError.js';
import { type ErrorReviver, type RevivedErrorOptions, reviver } from './wire.js';

// The marketplace API's refusals. They live here, not in the API, so that every client (SDK, web
// app, CLI, SMS) rebuilds the class the API threw from the name and fields on the wire.

/** The request needs a signed-in session (Sign-In with Ethereum). */
export class SignInRequiredError extends BaseError {
  override name = 'SignInRequiredError';
  declare readonly fields: { action: string };
  constructor(action: string, options: RevivedErrorOptions = {}) {
    super(`${action} needs you to sign in`, {
      hints: ['Sign in with Ethereum: get a nonce from auth.nonce, sign the SIWE message, send it to auth.verify.'],
      kind: 'unauthenticated',
      fields: { action },
      ...options,
    });
  }
}

/** The SIWE message or its signature is not acceptable. */
export class SignInRefusedError extends BaseError {
  override name = 'SignInRefusedError';
  declare readonly fields: { reason: string };
  constructor(reason: string, options: RevivedErrorOptions = {}) {
    super(`sign-in refused: ${reason}`, {
      hints: ['Ask auth.nonce for a fresh nonce and sign a new message with your account.'],
      kind: 'unauthenticated',
      fields: { reason },
      ...options,
    });
  }
}

/** The signed-in account is not the on-chain owner of the asset it edits. */
export class NotOwnerError extends BaseError {
  override name = 'NotOwnerError';
  declare readonly fields: { what: string; asset: string; owner: string; signedIn: string };
  constructor(what: string, asset: string, owner: string, signedIn: string, options: RevivedErrorOptions = {}) {
    super(`you (${signedIn}) are not the owner of ${what} ${asset}; its owner is ${owner}`, {
      hints: [`Sign in with ${owner}.`],
      kind: 'forbidden',
      fields: { what, asset, owner, signedIn },
      ...options,
    });
  }
}

/** The marketplace does not know this asset, order or task (yet). */
export class NotIndexedError extends BaseError {
  override name = 'NotIndexedError';
  declare readonly fields: { what: string; id: string };
  constructor(what: string, id: string, options: RevivedErrorOptions = {}) {
    super(`${what} ${id} is not known to the marketplace`, {
      hints: ['Check the id and the network. Something created moments ago appears once the indexer reaches its block.'],
      kind: 'not-found',
      fields: { what, id },
      ...options,
    });
  }
}

/** An order's signature is not its asset owner's (or the requester's) for this network's PoCo. */
export class OrderRefusedError extends BaseError {
  override name = 'OrderRefusedError';
  declare readonly fields: { reason: string; hint: string };
  constructor(reason: string, hint: string, options: RevivedErrorOptions = {}) {
    super(`order refused: ${reason}`, { hints: [hint], kind: 'forbidden', fields: { reason, hint }, ...options });
  }
}

/** The indexer did not catch up with a block in time. */
export class IndexerBehindError extends BaseError {
  override name = 'IndexerBehindError';
  declare readonly fields: { block: bigint; timeoutMs: number };
  constructor(block: bigint, timeoutMs: number, options: RevivedErrorOptions = {}) {
    super(`the indexer did not reach block ${block} within ${timeoutMs} ms`, {
      hints: ['Check that the chain node answers and see the indexer errors in the API log; retry once it has caught up.'],
      kind: 'unavailable',
      fields: { block, timeoutMs },
      ...options,
    });
  }
}

/** The input is well-formed but its values cannot be used together. */
export class InvalidRequestError extends BaseError {
  override name = 'InvalidRequestError';
  declare readonly fields: { reason: string; hint: string };
  constructor(reason: string, hint: string, options: RevivedErrorOptions = {}) {
    super(reason, { hints: [hint], kind: 'invalid-input', fields: { reason, hint }, ...options });
  }
}

/** One field of a request that its schema refuses: where (`input` for the whole) and why. */
export type InputIssue = { path: string; message: string };

/** A request's input does not match the procedure's schema; every refused field is named. */
export class InvalidInputError extends BaseError {
  override name = 'InvalidInputError';
  declare readonly fields: { issues: InputIssue[] };
  constructor(issues: InputIssue[], options: RevivedErrorOptions = {}) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') || 'the input is not valid', {
      hints: ['Fix the fields named in the message.'],
      kind: 'invalid-input',
      fields: { issues },
      ...options,
    });
  }

  /** The issues of a schema validation (zod's or any with a path and a message), as this error. */
  static fromIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): InvalidInputError {
    return new InvalidInputError(issues.map((issue) => ({ path: issue.path.map(String).join('.') || 'input', message: issue.message })));
  }
}

const text = z.string();
const reasonAndHint = z.object({ reason: text, hint: text });

/** How a client rebuilds each of the API's errors from its name and fields. */
export const apiErrorRevivers: Readonly<Record<string, ErrorReviver>> = {
  SignInRequiredError: reviver(z.object({ action: text }), (f, o) => new SignInRequiredError(f.action, o)),
  SignInRefusedError: reviver(z.object({ reason: text }), (f, o) => new SignInRefusedError(f.reason, o)),
  NotOwnerError: reviver(
    z.object({ what: text, asset: text, owner: text, signedIn: text }),
    (f, o) => new NotOwnerError(f.what, f.asset, f.owner, f.signedIn, o),
  ),
  NotIndexedError: reviver(z.object({ what: text, id: text }), (f, o) => new NotIndexedError(f.what, f.id, o)),
  OrderRefusedError: reviver(reasonAndHint, (f, o) => new OrderRefusedError(f.reason, f.hint, o)),
  IndexerBehindError: reviver(
    z.object({ block: z.bigint(), timeoutMs: z.number() }),
    (f, o) => new IndexerBehindError(f.block, f.timeoutMs, o),
  ),
  InvalidRequestError: reviver(reasonAndHint, (f, o) => new InvalidRequestError(f.reason, f.hint, o)),
  InvalidInputError: reviver(
    z.object({ issues: z.array(z.object({ path: text, message: text })) }),
    (f, o) => new InvalidInputError(f.issues, o),
  ),
};
