/** Where the SMS writes its log lines. It only ever gets routes, statuses and error names: no values, no signatures. */
export type SmsLogger = {
  info(line: string): void;
  error(line: string): void;
};

/**
 * Logs to the process's stdout (info) and stderr (errors).
 *
 * @example
 * await startSms({ ...settings, logger: processLogger });
 */
export const processLogger: SmsLogger = {
  info: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Logs nothing.
 *
 * @example
 * await startSms({ ...settings, logger: silentLogger });
 */
export const silentLogger: SmsLogger = { info: () => {}, error: () => {} };
