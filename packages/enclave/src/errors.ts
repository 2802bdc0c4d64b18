import { BaseError } from '@confidant/errors';

/** A quote that does not prove what it claims: untrusted root, wrong binding, malformed. */
export class QuoteRejectedError extends BaseError {
  override name = 'QuoteRejectedError';
  constructor(reason: string, hint = 'Run the task in an enclave whose platform root this verifier trusts.') {
    super(`the enclave's attestation is refused: ${reason}`, { hints: [hint], kind: 'forbidden' });
  }
}

/** Sealed secrets that cannot be opened by this enclave key. */
export class SealedBoxError extends BaseError {
  override name = 'SealedBoxError';
  constructor(reason: string) {
    super(`the sealed secrets cannot be opened: ${reason}`, {
      hints: ["Ask the SMS for a new session with this enclave's own key."],
      kind: 'invalid-input',
    });
  }
}

/** An app that cannot be run as declared (its runtime cannot be started). */
export class BundleError extends BaseError {
  override name = 'BundleError';
  constructor(reason: string, hint: string, cause?: unknown) {
    super(`the app cannot be run: ${reason}`, { hints: [hint], kind: 'invalid-input', cause });
  }
}

/** The image the enclave would run is not the one the app registered on chain (its checksum names another manifest digest). */
export class MeasurementMismatchError extends BaseError {
  override name = 'MeasurementMismatchError';
  constructor(expected: string, actual: string) {
    super(`the app image measures ${actual}, but the app's on-chain checksum is ${expected}`, {
      hints: ['Run the image whose digest was registered (pull it by that digest), or register this image as a new app version.'],
      kind: 'forbidden',
    });
  }
}

/** A protected data or input file could not be fetched, checked or decrypted before the app ran. */
export class TaskInputError extends BaseError {
  override name = 'TaskInputError';
  constructor(reason: string, hint: string, cause?: unknown) {
    super(reason, { hints: [hint], kind: 'invalid-input', cause });
  }
}

/** The SMS's answer is not usable: it released nothing this task needs, or something malformed. */
export class TaskSecretsError extends BaseError {
  override name = 'TaskSecretsError';
  constructor(
    reason: string,
    hint = 'Check that the dataset key was pushed to this SMS and that the session is for this task.',
    cause?: unknown,
  ) {
    super(`the task's secrets are not usable: ${reason}`, { hints: [hint], kind: 'forbidden', cause });
  }
}

/** The app ran and failed: a non-zero exit, a signal, or its time limit. */
export class AppFailedError extends BaseError {
  override name = 'AppFailedError';
  constructor(cause: string, details?: string) {
    super(cause, {
      details,
      hints: ['Run the app locally with `confidant test` and the same inputs to see the whole log.'],
      kind: 'invalid-input',
    });
  }
}

/** What the app left in IEXEC_OUT breaks a rule of post-compute, so no result is published. */
export class ResultRefusedError extends BaseError {
  override name = 'ResultRefusedError';
  constructor(reason: string, hint: string) {
    super(`the result is refused: ${reason}`, { hints: [hint], kind: 'invalid-input' });
  }
}

/** Results could not be stored or the storage answered something unexpected. */
export class ResultStorageError extends BaseError {
  override name = 'ResultStorageError';
  constructor(reason: string, cause?: unknown) {
    super(reason, { hints: ['Check that the IPFS API and gateway URLs given to the runner are up.'], kind: 'unavailable', cause });
  }
}

/** An encrypted result that this key cannot open: the one class, from the one decryption (@confidant/protected-data). */
export { ResultDecryptionError } from '@confidant/protected-data';
