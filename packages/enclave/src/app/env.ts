/**
 * The one place the app side reads its environment: the IEXEC_* contract a worker sets for an iApp
 * (protocol §5). Everything else takes a `TaskEnv`, so tests and tools pass their own.
 */

/** The task environment of an iApp, as the enclave runtime (or iExec's worker) sets it. */
export type TaskEnv = {
  /** Folder of the inputs: the protected data file(s) and the input files. */
  inDir: string | undefined;
  /** Folder the app writes its results and `computed.json` to. */
  outDir: string | undefined;
  taskId: string | undefined;
  dealId: string | undefined;
  datasetAddress: string | undefined;
  /** The protected data's file name in `inDir` (its address), when the task has one. */
  datasetFilename: string | undefined;
  inputFilesFolder: string | undefined;
  /** Input file names in `inputFilesFolder`, in the request's order. */
  inputFileNames: string[];
  /** Requester secrets by index (`IEXEC_REQUESTER_SECRET_<n>`). */
  requesterSecrets: Map<number, string>;
  appDeveloperSecret: string | undefined;
  /** Protected data file names of a bulk task, in order (`IEXEC_DATASET_<i>_FILENAME`, i from 1). */
  bulkDatasetFilenames: string[];
};

type Env = Record<string, string | undefined>;

const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

function count(env: Env, name: string): number {
  const value = Number.parseInt(env[name] ?? '0', 10);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Reads the IEXEC_* variables of an iApp's environment.
 *
 * @example
 * const env = readTaskEnv();
 * console.log(env.outDir); // where to write results
 */
export function readTaskEnv(env: Env = process.env): TaskEnv {
  const inputFileNames: string[] = [];
  for (let n = 1; n <= count(env, 'IEXEC_INPUT_FILES_NUMBER'); n++) {
    const name = nonEmpty(env[`IEXEC_INPUT_FILE_NAME_${n}`]);
    if (name) inputFileNames.push(name);
  }
  const requesterSecrets = new Map<number, string>();
  for (const [key, value] of Object.entries(env)) {
    const match = /^IEXEC_REQUESTER_SECRET_(\d+)$/.exec(key);
    if (match && value !== undefined) requesterSecrets.set(Number(match[1]), value);
  }
  const bulkDatasetFilenames: string[] = [];
  for (let i = 1; i <= count(env, 'IEXEC_BULK_SLICE_SIZE'); i++) {
    const name = nonEmpty(env[`IEXEC_DATASET_${i}_FILENAME`]);
    if (name) bulkDatasetFilenames.push(name);
  }
  return {
    inDir: nonEmpty(env.IEXEC_IN),
    outDir: nonEmpty(env.IEXEC_OUT),
    taskId: nonEmpty(env.IEXEC_TASK_ID),
    dealId: nonEmpty(env.IEXEC_DEAL_ID),
    datasetAddress: nonEmpty(env.IEXEC_DATASET_ADDRESS),
    datasetFilename: nonEmpty(env.IEXEC_DATASET_FILENAME),
    inputFilesFolder: nonEmpty(env.IEXEC_INPUT_FILES_FOLDER) ?? nonEmpty(env.IEXEC_IN),
    inputFileNames,
    requesterSecrets,
    appDeveloperSecret: env.IEXEC_APP_DEVELOPER_SECRET,
    bulkDatasetFilenames,
  };
}
