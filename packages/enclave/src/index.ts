export {
  createEnclaveKeys,
  createQuoteVerifier,
  createSimulatedPlatform,
  productionVerifierOptions,
  quoteDigest,
  quoteSchema,
  type EnclaveKeys,
  type Quote,
  type QuoteClaims,
  type QuoteVerifier,
  type QuoteVerifierOptions,
  type VerifiedQuote,
} from './attestation.js';
export { openSealedBox, sealToEnclave, type SealedBox } from './seal.js';
export { runTask } from './runner/runTask.js';
export type {
  EnclaveIdentity,
  EnclavePlatform,
  RunTaskOptions,
  TaskContext,
  TaskLogEntry,
  TaskOutcome,
  TaskPhase,
  TaskTimings,
  TeeContribution,
} from './runner/options.js';
export { openTaskSecrets, taskSecretsSchema, type TaskSecrets } from './runner/secrets.js';
export { encryptResult } from './runner/resultEncryption.js';
// Everything `confidant test` runs locally (image preparation, sandbox, pre- and post-compute files).
export * from './runner.js';
export { resolveLocation, uploadToIpfs, type StorageOptions } from './runner/storage.js';
export {
  AppFailedError,
  BundleError,
  MeasurementMismatchError,
  QuoteRejectedError,
  ResultDecryptionError,
  ResultRefusedError,
  ResultStorageError,
  SealedBoxError,
  TaskInputError,
  TaskSecretsError,
} from './errors.js';
