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
export { prepareAppImage, type PrepareAppImageParameters, type PreparedAppImage } from './runner/appImage.js';
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
export { splitArgs } from './runner/args.js';
export { fetchDataset, fetchInputFiles, inputFileName, type DatasetInput } from './runner/preCompute.js';
export { runApp, type AppDeclaration, type AppExit, type RunAppOptions } from './runner/sandbox.js';
export {
  checkOutputFolder,
  computeResultDigest,
  MAX_OUTPUT_BYTES,
  MAX_RESULT_FILE_NAME_LENGTH,
  readComputed,
  zipOutput,
  type ComputedFile,
} from './runner/postCompute.js';
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
export { appEnvironment, type AppEnvironmentInput } from './runner/appEnvironment.js';
