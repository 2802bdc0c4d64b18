/**
 * `@confidant/enclave/runner`: what running an app locally needs (the app image's verification and
 * unpacking, the sandbox, pre- and post-compute's file handling) without attestation, sealing or
 * the chain client — no viem, no `@confidant/contracts` main entry — so `confidant test` starts
 * quickly.
 */
export { prepareAppImage, type PrepareAppImageParameters, type PreparedAppImage } from './runner/appImage.js';
// How the image's process gets its arguments (the task's replace the image's Cmd, as with docker run).
export { launchArgs } from '@confidant/oci';
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
export { appEnvironment, type AppEnvironmentInput } from './runner/appEnvironment.js';
