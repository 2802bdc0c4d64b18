export type AppEnvironmentInput = {
  folders: { in: string; out: string; home: string; tmp: string };
  taskId: string;
  dealId: string;
  /** The protected data, at `$IEXEC_IN/<filename>`. */
  dataset?: { address: string; filename: string } | undefined;
  /** Input files' names in `$IEXEC_IN`, in order. */
  inputFileNames: readonly string[];
  bulkFilenames?: readonly string[] | undefined;
  requesterSecrets: Readonly<Record<string, string>>;
  appDeveloperSecret?: string | undefined;
};

/**
 * An app's whole environment: the IEXEC_* contract and what its runtime needs, nothing of the
 * host's. The worker's enclave runs and `confidant test` build it the same way.
 *
 * @example
 * const env = appEnvironment({ folders, taskId, dealId, inputFileNames: [], requesterSecrets: {} });
 */
export function appEnvironment(input: AppEnvironmentInput): Record<string, string> {
  const bulk = input.bulkFilenames ?? [];
  const env: Record<string, string> = {
    HOME: input.folders.home,
    TMPDIR: input.folders.tmp,
    LANG: 'C.UTF-8',
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONIOENCODING: 'utf-8',
    IEXEC_IN: input.folders.in,
    IEXEC_OUT: input.folders.out,
    IEXEC_TASK_ID: input.taskId,
    IEXEC_DEAL_ID: input.dealId,
    IEXEC_INPUT_FILES_FOLDER: input.folders.in,
    IEXEC_INPUT_FILES_NUMBER: String(input.inputFileNames.length),
    IEXEC_BULK_SLICE_SIZE: String(bulk.length),
  };
  if (input.dataset) {
    env.IEXEC_DATASET_ADDRESS = input.dataset.address;
    env.IEXEC_DATASET_FILENAME = input.dataset.filename;
  }
  input.inputFileNames.forEach((name, i) => (env[`IEXEC_INPUT_FILE_NAME_${i + 1}`] = name));
  bulk.forEach((name, i) => (env[`IEXEC_DATASET_${i + 1}_FILENAME`] = name));
  for (const [index, value] of Object.entries(input.requesterSecrets)) env[`IEXEC_REQUESTER_SECRET_${index}`] = value;
  if (input.appDeveloperSecret !== undefined) env.IEXEC_APP_DEVELOPER_SECRET = input.appDeveloperSecret;
  return env;
}
