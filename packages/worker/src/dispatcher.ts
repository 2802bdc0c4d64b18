import { sleep } from './abort.js';
import type { DealWatcher } from './dealWatcher.js';
import { WorkerStoppedError } from './errors.js';
import type { WorkerLogger } from './logger.js';
import type { OrderbookKeeper } from './orderbook.js';
import { openStatuses, type TaskRow } from './store.js';
import { advanceTask, describe, type TaskContext } from './taskSteps.js';

export type DispatcherParameters = {
  context: TaskContext;
  watcher: DealWatcher;
  orderbook: OrderbookKeeper | undefined;
  logger: WorkerLogger;
  /** Tasks handled at once (each holds an enclave while it runs). */
  concurrency: number;
  /** How often the chain is polled for deals, in ms. */
  pollIntervalMs: number;
  /** How often the orderbook is checked, in ms. */
  orderbookIntervalMs: number;
  /** A task whose step failed (chain unreachable, ...) waits this long before the next try, in ms. */
  retryDelayMs: number;
  /** Consecutive failed steps before a task is FAILED. */
  maxStepFailures: number;
};

export type Dispatcher = {
  /** Resolves once the loop and every task handler have returned. */
  stopped: Promise<void>;
  /** Runs the loop now instead of at its next tick. */
  wake(): void;
};

/**
 * The worker's loop: follow the deals, keep the orderbook supplied, and hand every unfinished task
 * to `advanceTask`, at most `concurrency` at a time. A task found RUNNING or FINALIZING that no
 * handler holds was left by a stopped process: it is recovered the same way (see taskSteps.ts).
 *
 * @example
 * const dispatcher = startDispatcher({ context, watcher, orderbook, logger, concurrency: 4, ... });
 * abort.abort(); await dispatcher.stopped;
 */
export function startDispatcher(p: DispatcherParameters): Dispatcher {
  const { signal } = p.context;
  const inFlight = new Map<string, Promise<void>>();
  const failures = new Map<string, { count: number; retryAt: number }>();
  let nudge: (() => void) | undefined;
  let lastOrderbookCheck = -Infinity;

  function wake() {
    nudge?.();
  }

  async function handle(row: TaskRow) {
    try {
      await advanceTask(p.context, row);
      failures.delete(row.taskId);
    } catch (error) {
      if (error instanceof WorkerStoppedError || signal.aborted) return;
      const failure = { count: (failures.get(row.taskId)?.count ?? 0) + 1, retryAt: Date.now() + p.retryDelayMs };
      failures.set(row.taskId, failure);
      const cause = describe(error);
      p.logger.error(`worker: task ${row.taskId} step failed (${failure.count}/${p.maxStepFailures}): ${cause}`);
      const current = await p.context.store.task(row.taskId as `0x${string}`);
      if (!current) return;
      if (failure.count >= p.maxStepFailures) {
        failures.delete(row.taskId);
        await p.context.store.transition(row.taskId, [current.status], 'FAILED', {
          cause: `the worker gave up after ${failure.count} failed tries: ${cause}`,
          log: [`FAILED after ${failure.count} tries: ${cause}`],
        });
      } else {
        await p.context.store.note(row.taskId, { log: [`${current.status}: ${cause}; trying again`] });
      }
    } finally {
      inFlight.delete(row.taskId);
      wake();
    }
  }

  async function round() {
    try {
      await p.watcher.poll();
    } catch (error) {
      p.logger.error(`worker: reading deals failed: ${describe(error)}`);
    }
    if (p.orderbook && Date.now() - lastOrderbookCheck >= p.orderbookIntervalMs) {
      lastOrderbookCheck = Date.now();
      try {
        const published = await p.orderbook.check();
        if (published)
          p.logger.info(`worker: published a workerpool order (volume ${published.volume}, price ${published.workerpoolprice})`);
      } catch (error) {
        p.logger.error(`worker: ${describe(error)}`);
      }
    }
    if (signal.aborted || inFlight.size >= p.concurrency) return;
    const open = await p.context.store.tasksIn(openStatuses);
    for (const row of open) {
      if (inFlight.size >= p.concurrency || signal.aborted) break;
      if (inFlight.has(row.taskId) || (failures.get(row.taskId)?.retryAt ?? 0) > Date.now()) continue;
      inFlight.set(row.taskId, handle(row));
    }
  }

  async function loop() {
    while (!signal.aborted) {
      try {
        await round();
      } catch (error) {
        if (!signal.aborted) p.logger.error(`worker: round failed: ${describe(error)}`);
      }
      if (signal.aborted) break;
      // Until the next tick, a stop, or a nudge (a task finished: its slot is free).
      const tick = new AbortController();
      const stopTick = () => tick.abort();
      signal.addEventListener('abort', stopTick, { once: true });
      nudge = stopTick;
      await sleep(p.pollIntervalMs, tick.signal);
      signal.removeEventListener('abort', stopTick);
      nudge = undefined;
    }
    await Promise.all(inFlight.values());
  }

  return { stopped: loop(), wake };
}
