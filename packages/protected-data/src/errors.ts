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
  /** What is wrong, without the sentence around it. */
  readonly reason: string;
  constructor(reason: string) {
    super(`the protected data is corrupted: ${reason}`, {
      hints: ['Fetch it again; if it keeps failing, its owner must protect the data again.'],
      kind: 'invalid-input',
    });
    this.reason = reason;
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

/** Something to protect is beyond what the format holds, or an archive to read is beyond a reader's limits. */
export class TooLargeError extends BaseError {
  override name = 'TooLargeError';
  constructor(
    what: string,
    limit: string,
    hint = 'Split the data into several protected data, or keep large files outside and protect their key or URL.',
  ) {
    super(`${what} is too large: ${limit}`, { hints: [hint], kind: 'invalid-input' });
  }
}

/** This runtime lacks a primitive the format needs (WebCrypto, DecompressionStream). */
export class UnsupportedPlatformError extends BaseError {
  override name = 'UnsupportedPlatformError';
  constructor(what: string, hint: string) {
    super(`${what} is not available here`, { hints: [hint], kind: 'internal' });
  }
}

/** A task result that cannot be opened: not an encrypted result, damaged, or encrypted for another key. */
export class ResultDecryptionError extends BaseError {
  override name = 'ResultDecryptionError';
  constructor(reason: string, options: { hint?: string | undefined; cause?: unknown } = {}) {
    super(`the result cannot be decrypted: ${reason}`, {
      hints: [options.hint ?? 'Use the private key whose public key was pushed to the SMS as the result encryption key when the task ran.'],
      kind: 'invalid-input',
      cause: options.cause,
    });
  }
}
