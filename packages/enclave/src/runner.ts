/**
 * `@confidant/enclave/runner`: what running an app locally needs (measurement, the sandbox, pre- and
 * post-compute's file handling) without attestation, sealing or the chain client — no viem, no
 * `@confidant/contracts` main entry — so `confidant test` starts quickly.
 */
export { bundleManifest, listBundle, measureBundle, type AppDeclaration, type BundleEntry } from './measurement.js';
export { splitArgs } from './runner/args.js';
export { fetchDataset, fetchInputFiles, inputFileName, type DatasetInput } from './runner/preCompute.js';
export { runApp, type AppExit, type RunAppOptions } from './runner/sandbox.js';
export {
  checkOutputFolder,
  computeResultDigest,
  MAX_OUTPUT_BYTES,
  MAX_RESULT_FILE_NAME_LENGTH,
  readComputed,
  zipOutput,
  type ComputedFile,
} from './runner/postCompute.js';
export { appEnvironment, type AppEnvironmentInput } from './runner/appEnvironment.js';
