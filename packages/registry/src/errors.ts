import { BaseError, type BaseErrorKind } from '@confidant/errors';

/** The error codes of distribution-spec ("Error Codes"); every refusal carries one. */
export type DistributionErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'SIZE_INVALID'
  | 'UNSUPPORTED'
  /** Not in the spec's list (which covers refusals): distribution's code for a 500. */
  | 'UNKNOWN';

export type DistributionErrorOptions = {
  /** The HTTP status; default from the code (404 for unknowns, 400 otherwise). */
  status?: number | undefined;
  /** The spec's free-form `detail` (never a secret). */
  detail?: unknown;
  hint?: string | undefined;
  /** Headers the refusal needs (`Range` on a 416, `Allow` on a 405). */
  headers?: Record<string, string> | undefined;
  /** The body was not read to its end: close the connection after answering rather than read the rest. */
  closeConnection?: boolean | undefined;
  cause?: unknown;
};

const unknownCodes: readonly DistributionErrorCode[] = ['BLOB_UNKNOWN', 'BLOB_UPLOAD_UNKNOWN', 'MANIFEST_UNKNOWN', 'NAME_UNKNOWN'];

/**
 * A request the registry refuses, answered as distribution-spec says:
 * `{"errors": [{"code", "message", "detail"}]}` with the status that goes with the code.
 *
 * @example
 * throw new DistributionError('BLOB_UNKNOWN', `blob ${digest} is not in this registry`, { detail: { digest } });
 */
export class DistributionError extends BaseError {
  override name = 'DistributionError';
  readonly code: DistributionErrorCode;
  readonly status: number;
  readonly detail: unknown;
  readonly headers: Record<string, string>;
  readonly closeConnection: boolean;
  constructor(code: DistributionErrorCode, message: string, options: DistributionErrorOptions = {}) {
    const status = options.status ?? (unknownCodes.includes(code) ? 404 : 400);
    super(message, { hints: options.hint ? [options.hint] : [], kind: kindOf(status), cause: options.cause, fields: { code, status } });
    this.code = code;
    this.status = status;
    this.detail = options.detail;
    this.headers = options.headers ?? {};
    this.closeConnection = options.closeConnection ?? false;
  }
}

function kindOf(status: number): BaseErrorKind {
  if (status === 404) return 'not-found';
  if (status === 409 || status === 416) return 'conflict';
  if (status >= 500) return 'internal';
  return 'invalid-input';
}

/** The registry could not start: its data directory cannot be used. */
export class RegistryStartError extends BaseError {
  override name = 'RegistryStartError';
  constructor(reason: string, cause?: unknown) {
    super(`the local container registry did not start: ${reason}`, {
      hints: ['Check that its data directory can be written, or give none for a throw-away one.'],
      kind: 'unavailable',
      cause,
    });
  }
}
