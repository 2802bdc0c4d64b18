/** Where the worker writes its own log lines: task ids, statuses, error names; never keys, secrets or an app's output. */
export type WorkerLogger = {
  info(line: string): void;
  error(line: string): void;
};

/**
 * Logs to the process's stdout (info) and stderr (errors).
 *
 * @example
 * await startWorker({ ...settings, logger: processLogger });
 */
export const processLogger: WorkerLogger = {
  info: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Logs nothing.
 *
 * @example
 * await startWorker({ ...settings, logger: silentLogger });
 */
export const silentLogger: WorkerLogger = { info: () => {}, error: () => {} };
