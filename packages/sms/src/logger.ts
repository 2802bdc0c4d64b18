import type { LineLogger } from '@confidant/server';

/**
 * Where the SMS writes its log lines. It only ever gets routes, statuses and error names: no values,
 * no signatures — and the SMS redacts every line anyway (see @confidant/server's redact).
 */
export type SmsLogger = LineLogger;

// stdout and stderr, redacted; and nothing.
export { processLogger, silentLogger } from '@confidant/server';
