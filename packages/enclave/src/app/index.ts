/**
 * What an iApp imports: its arguments, input files, secrets and protected data, and how it writes
 * its result. Reads only the IEXEC_* environment (see env.ts) and files, so it works the same under
 * Confidant's runner, `confidant test` and iExec's workers.
 */
export { readTaskEnv, type TaskEnv } from './env.js';
export { getAppDeveloperSecret, getArgs, getInputFiles, getRequesterSecret, getRequesterSecrets, type InputFile } from './inputs.js';
export { getBulkProtectedData, getProtectedData, getValue, type ProtectedDataOptions } from './protectedData.js';
export { RESULT_FILE_NAME_MAX_LENGTH, writeComputedJson, writeResultFile, type Computed } from './results.js';
export { MissingProtectedDataError, ResultFileError, TaskEnvironmentError } from './errors.js';
