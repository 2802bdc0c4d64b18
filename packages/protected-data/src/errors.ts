import { BaseError } from '@confidant/errors';

/** The object to protect has a key or a value the format cannot hold. */
export class InvalidDataError extends BaseError {
  override name = 'InvalidDataError';
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`cannot protect ${path ? `"${path}"` : 'the data'}: ${reason}`, {
      hints: ['Keys use letters, digits, - and _; values are booleans, finite numbers, bigints (i128), strings, bytes or nested objects.'],
      kind: 'invalid-input',
    });
    this.path = path;
  }
}

/** Bytes that should be a protected data archive (or its ciphertext) are not one. */
export class CorruptedDataError extends BaseError {
  override name = 'CorruptedDataError';
  constructor(reason: string) {
    super(`the protected data is corrupted: ${reason}`, {
      hints: ['Fetch it again; if it keeps failing, its owner must protect the data again.'],
      kind: 'invalid-input',
    });
  }
}

/** A path asked of the reader is not in the protected data, or not of the asked type. */
export class MissingValueError extends BaseError {
  override name = 'MissingValueError';
  readonly path: string;
  constructor(path: string, reason?: string) {
    super(`Failed to load path ${path}`, {
      details: reason,
      hints: ['Check the path against the protected data schema (dots separate nested keys).'],
      kind: 'not-found',
    });
    this.path = path;
  }
}

/** A value the reader found but cannot decode as the asked type (iExec's deserializer wording). */
export class ValueTypeError extends BaseError {
  override name = 'ValueTypeError';
  readonly path: string;
  constructor(path: string, type: string, mode: string, reason?: string) {
    super(`Failed to deserialize "${path}" as "${type}" in "${mode}" mode`, {
      details: reason,
      hints: ['Ask for the type the protected data schema gives for this path; `legacy` mode reads data made by DataProtector v0 only.'],
      kind: 'invalid-input',
    });
    this.path = path;
  }
}

/** Something to protect is beyond what the format holds. */
export class TooLargeError extends BaseError {
  override name = 'TooLargeError';
  constructor(what: string, limit: string) {
    super(`${what} is too large: ${limit}`, {
      hints: ['Split the data into several protected data, or keep large files outside and protect their key or URL.'],
      kind: 'invalid-input',
    });
  }
}
