import type { LineLogger } from '@confidant/server';

/**
 * Where the worker writes its own log lines: task ids, statuses, error names; never keys, secrets or
 * an app's output — and the worker redacts every line anyway (see @confidant/server's redact).
 */
export type WorkerLogger = LineLogger;

// stdout and stderr, redacted; and nothing.
export { processLogger, silentLogger } from '@confidant/server';
