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
      hints: ['Without its key in the SMS no app can use this protected data: protect the data again (a new key and a new address).'],
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

/**
 * A call to iExec's market API failed: it refused it (`{ ok: false, error }`, whose text is the
 * message), answered something that is not the market API's, or could not be reached.
 */
export class MarketApiError extends BaseError {
  override name = 'MarketApiError';
  /** The call, e.g. `POST /apporders`. */
  readonly call: string;
  /** The market API's own words (its `error`), when it refused the call. */
  readonly apiMessage: string | undefined;
  readonly httpStatus: number | undefined;
  readonly reason: 'refused' | 'malformed' | 'unreachable';
  constructor(
    call: string,
    message: string,
    options: {
      apiMessage?: string | undefined;
      httpStatus?: number | undefined;
      reason: MarketApiError['reason'];
      kind?: BaseErrorKind | undefined;
      cause?: unknown;
    },
  ) {
    super(message, {
      details: `market API call ${call}`,
      hints: [
        options.reason === 'refused'
          ? 'The market API said why above: fix the order or the account that publishes it.'
          : 'Check that marketApiUrl points at the market API of this network and that it is running.',
      ],
      kind: options.kind ?? 'unavailable',
      cause: options.cause,
    });
    this.call = call;
    this.apiMessage = options.apiMessage;
    this.httpStatus = options.httpStatus;
    this.reason = options.reason;
  }
}

/** A query to the DataProtector subgraph failed: it answered GraphQL errors, something else, or nothing. */
export class SubgraphError extends BaseError {
  override name = 'SubgraphError';
  readonly httpStatus: number | undefined;
  constructor(message: string, options: { httpStatus?: number | undefined; cause?: unknown } = {}) {
    super(message, {
      hints: ['Check that dataProtectorSubgraphUrl points at the DataProtector subgraph of this network and that it is running.'],
      kind: 'unavailable',
      cause: options.cause,
    });
    this.httpStatus = options.httpStatus;
  }
}

/** The client lacks a service of the network (the local network has no preset to take it from). */
export class MissingServiceConfigError extends BaseError {
  override name = 'MissingServiceConfigError';
  /** The configuration keys to give, e.g. `['dataProtector']`. */
  readonly keys: string[];
  constructor(keys: string[], network: string) {
    super(`the ${network} network has no preset for ${keys.join(', ')}: give ${keys.length > 1 ? 'them' : 'it'} to createConfidantClient`, {
      hints: [
        network === 'local'
          ? `Take ${keys.join(', ')} from the local network (devnetClient does; its summary prints the DataProtector address, the market API and the subgraph).`
          : `Give ${keys.join(', ')} in the client's configuration.`,
      ],
      kind: 'invalid-input',
    });
    this.keys = keys;
  }
}
