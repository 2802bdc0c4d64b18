import { BaseError, type BaseErrorKind } from '@confidant/errors';

/**
 * A marketplace API call failed: it could not be reached, answered something that is not the API's,
 * or refused the call with an error this SDK does not know (its message, name and hints kept). A
 * refusal the SDK knows comes as its own class (e.g. `NotIndexedError`), with this as its cause.
 */
export class ApiRequestError extends BaseError {
  override name = 'ApiRequestError';
  readonly procedure: string;
  /** The name of the API's own error (e.g. `NotIndexedError`), when the API answered with one. */
  readonly errorName: string | undefined;
  /** The HTTP status of the API's answer; undefined when none came. */
  readonly httpStatus: number | undefined;
  /**
   * Why the call failed: the API refused it (a tRPC error of its own), answered something that is
   * not JSON or not a tRPC answer, or could not be reached.
   */
  readonly reason: 'refused' | 'not-json' | 'malformed' | 'unreachable';
  constructor(
    procedure: string,
    message: string,
    options: {
      hints?: string[] | undefined;
      kind?: BaseErrorKind | undefined;
      errorName?: string | undefined;
      httpStatus?: number | undefined;
      reason?: ApiRequestError['reason'] | undefined;
      cause?: unknown;
    },
  ) {
    super(message, {
      details: `API call ${procedure}`,
      hints: options.hints?.length ? options.hints : ['Check that the API URL is right and the API is running.'],
      kind: options.kind ?? 'unavailable',
      cause: options.cause,
    });
    this.procedure = procedure;
    this.errorName = options.errorName;
    this.httpStatus = options.httpStatus;
    this.reason = options.reason ?? 'refused';
  }
}

/** A service (API, SMS, storage) answered with something that is not what the protocol says. */
export class UnexpectedResponseError extends BaseError {
  override name = 'UnexpectedResponseError';
  constructor(service: string, what: string) {
    super(`${service} answered with an unexpected ${what}`, {
      hints: [`Check that the ${service} URL points at a ${service} of this network and version.`],
      kind: 'unavailable',
    });
  }
}

/** The storage refused or failed an upload or a download. */
export class StorageError extends BaseError {
  override name = 'StorageError';
  constructor(message: string, options: { hints?: string[]; cause?: unknown } = {}) {
    super(message, {
      hints: options.hints ?? ['Check that the IPFS API and gateway URLs are right and reachable.'],
      kind: 'unavailable',
      cause: options.cause,
    });
  }
}

/** The SMS refused or failed to store a secret. */
export class SmsError extends BaseError {
  override name = 'SmsError';
  readonly status: number | undefined;
  constructor(
    message: string,
    options: { status?: number | undefined; hints?: string[] | undefined; kind?: BaseErrorKind | undefined; cause?: unknown } = {},
  ) {
    super(message, {
      hints: options.hints?.length ? options.hints : ['Check that the SMS URL is right and the SMS is running.'],
      kind: options.kind ?? 'unavailable',
      cause: options.cause,
    });
    this.status = options.status;
  }
}

/** Protecting data stopped after the protected data was registered on chain. */
export class ProtectDataIncompleteError extends BaseError {
  override name = 'ProtectDataIncompleteError';
  readonly address: `0x${string}`;
  constructor(address: `0x${string}`, step: string, cause: unknown) {
    super(`protected data ${address} is registered on chain, but ${step} failed`, {
      hints: [
        step === 'pushing its key to the SMS'
          ? 'Without its key in the SMS no app can use this protected data: protect the data again (a new key and a new address).'
          : 'The protected data is usable, but the marketplace does not know its fields yet ("works with my data" will not find it): call the API\'s protectedData.registerSchema with its address and schema.',
      ],
      kind: 'unavailable',
      cause,
    });
    this.address = address;
  }
}

/** An argument of an SDK call is not acceptable. */
export class InvalidArgumentError extends BaseError {
  override name = 'InvalidArgumentError';
  constructor(argument: string, reason: string, hint: string) {
    super(`${argument} ${reason}`, { hints: [hint], kind: 'invalid-input' });
  }
}
