import { getTask, type TaskStatus } from '@confidant/contracts';
import { BaseError } from '@confidant/errors';
import type { Hex } from 'viem';
import type { ConfidantClient } from '../client.js';

/** The task did not complete: it failed, or passed its final deadline, or waiting gave up. */
export class TaskNotCompletedError extends BaseError {
  override name = 'TaskNotCompletedError';
  readonly taskId: Hex;
  constructor(taskId: Hex, reason: string, hint: string) {
    super(`task ${taskId} ${reason}`, { hints: [hint], kind: 'unavailable' });
    this.taskId = taskId;
  }
}

export type WaitForTaskCompletionParameters = {
  taskId: Hex;
  /** Called on every status change. */
  onStatusUpdate?: ((status: { status: TaskStatus | 'UNSET' }) => void) | undefined;
  /** Give up after this long (default: until the task's final deadline). */
  timeoutMs?: number | undefined;
  pollIntervalMs?: number | undefined;
};

/**
 * Waits until a task is COMPLETED on chain; a task past its final deadline fails with a hint to
 * claim the refund.
 *
 * @example
 * await waitForTaskCompletion(confidant, { taskId, onStatusUpdate: ({ status }) => console.log(status) });
 */
export async function waitForTaskCompletion(
  client: ConfidantClient,
  parameters: WaitForTaskCompletionParameters,
): Promise<{ taskId: Hex; status: 'COMPLETED' }> {
  const started = Date.now();
  const interval = parameters.pollIntervalMs ?? (client.poco.network.name === 'local' ? 200 : 5_000);
  let last: string | undefined;
  for (;;) {
    const task = await getTask(client.poco, { taskId: parameters.taskId }).catch(() => undefined);
    const status = task?.status ?? 'UNSET';
    if (status !== last) {
      last = status;
      parameters.onStatusUpdate?.({ status });
    }
    if (status === 'COMPLETED') return { taskId: parameters.taskId, status: 'COMPLETED' };
    if (status === 'FAILED')
      throw new TaskNotCompletedError(parameters.taskId, 'failed', 'Read the task logs to see why, then run it again.');
    const now = Math.floor(Date.now() / 1000);
    if (task && task.finalDeadline > 0n && BigInt(now) > task.finalDeadline) {
      throw new TaskNotCompletedError(
        parameters.taskId,
        'passed its final deadline unfinished',
        'Claim the refund of your escrow with claimTask, then run it again.',
      );
    }
    if (parameters.timeoutMs !== undefined && Date.now() - started > parameters.timeoutMs) {
      throw new TaskNotCompletedError(
        parameters.taskId,
        `is still ${status} after ${parameters.timeoutMs} ms`,
        'Wait longer with waitForTaskCompletion, or read the task logs.',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
