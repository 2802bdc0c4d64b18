import { constants } from 'node:os';
import { BaseError } from '@confidant/errors';
import { MainFailedError } from './errors.js';
import { createLineLogger, type LineLogger, processLogger } from './logger.js';

/** What a start function gives back: something that stops. */
export type Running = { stop(): Promise<void> };

export type RunMainOptions = {
  /** The process's name in its messages (`api`, `sms`, `worker`). */
  name: string;
  /** The signals that stop it (default SIGINT and SIGTERM). */
  signals?: readonly NodeJS.Signals[] | undefined;
  /** Where failures are written (default: stderr); lines are redacted whatever the logger. */
  logger?: LineLogger | undefined;
  /** Ends the process (default process.exit). */
  exit?: ((code: number) => void) | undefined;
};

/**
 * A service's process: runs `start`; on failure prints the error's readable message (a BaseError's
 * message with its hints; anything else as a {@link MainFailedError}) and exits 1. The first
 * SIGINT or SIGTERM — even during start, once start is done — calls `stop()` once, then exits 0
 * (1 if stop fails). Another signal while it stops exits at once (128 + the signal's number).
 *
 * @example
 * await runMain(async () => {
 *   const sms = await startSms(settings);
 *   processLogger.info(`Confidant SMS on ${sms.url}`);
 *   return sms;
 * }, { name: 'sms' });
 */
export async function runMain(start: () => Promise<Running>, options: RunMainOptions): Promise<void> {
  const { name } = options;
  const logger = createLineLogger(options.logger ?? processLogger);
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  let running: Running | undefined;
  let stopAsked = false;
  let stopping = false;

  const stop = async () => {
    if (stopping || !running) return;
    stopping = true;
    try {
      await running.stop();
      finish(0);
    } catch (error) {
      logger.error(readable(error, name, 'stop'));
      finish(1);
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopAsked) {
      logger.error(`${name}: ${signal} again, exiting without waiting for the stop to finish`);
      finish(128 + (constants.signals[signal] ?? 0));
      return;
    }
    stopAsked = true;
    void stop();
  };
  for (const signal of signals) process.on(signal, onSignal);
  try {
    running = await start();
    if (stopAsked) void stop();
  } catch (error) {
    logger.error(readable(error, name, 'start'));
    finish(1);
  }
  const code = await finished;
  for (const signal of signals) process.off(signal, onSignal);
  (options.exit ?? ((status: number) => process.exit(status)))(code);
}

function readable(error: unknown, name: string, phase: 'start' | 'stop'): string {
  return (error instanceof BaseError ? error : new MainFailedError(name, phase, error)).message;
}
