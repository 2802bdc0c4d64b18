import { BaseError } from '@confidant/errors';
import { WorkerStoppedError } from './errors.js';

// setTimeout fires at once beyond 2^31 - 1 ms.
const MAX_TIMER_MS = 2_147_483_647;

/** The enclave run took longer than the task's deadline allows. */
export class ExecutionTimeoutError extends BaseError {
  override name = 'ExecutionTimeoutError';
  constructor(seconds: number) {
    super(`the app did not finish within ${seconds} s, before the task's contribution deadline`, {
      hints: ['Make the app faster, or ask for a category with a longer time.'],
      kind: 'unavailable',
    });
  }
}

/**
 * Waits for `work`, but gives up when the worker stops (WorkerStoppedError) or after `timeoutMs`
 * (ExecutionTimeoutError): a blocked executor never blocks the worker.
 *
 * @example
 * const execution = await raceStop(executor.execute(task), signal, 60_000);
 */
export function raceStop<value>(work: Promise<value>, signal: AbortSignal, timeoutMs?: number): Promise<value> {
  if (signal.aborted) return Promise.reject(new WorkerStoppedError());
  return new Promise<value>((resolve, reject) => {
    const onAbort = () => settle(() => reject(new WorkerStoppedError()));
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => settle(() => reject(new ExecutionTimeoutError(Math.round(timeoutMs / 1000)))),
            Math.min(timeoutMs, MAX_TIMER_MS),
          );
    let done = false;
    function settle(action: () => void) {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
      action();
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}

/**
 * Sleeps, waking early when the worker stops.
 *
 * @example
 * await sleep(1_000, signal);
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
