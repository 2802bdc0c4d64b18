import { hashTaskLogsRequest } from '@confidant/contracts';
import type { Hex } from 'viem';
import { z } from 'zod';
import { type ConfidantClient, signerOf } from '../client.js';
import { InvalidArgumentError, UnexpectedResponseError } from '../errors.js';
import { ResultUnavailableError } from './getResultFromCompletedTask.js';

export type TaskLogs = { taskId: Hex; status: string; attempts: number; cause: string | null; logs: string };

const answer = z.object({
  taskId: z.string(),
  status: z.string(),
  attempts: z.number(),
  cause: z.string().nullable().optional(),
  logs: z.string(),
});

/**
 * A task's logs from the worker that ran it — what the enclave runtime and the app printed, and
 * why it failed — readable by the task's requester only (a short-lived signed request).
 *
 * @example
 * const { status, cause, logs } = await getTaskLogs(confidant, { taskId });
 */
export async function getTaskLogs(client: ConfidantClient, parameters: { taskId: Hex }): Promise<TaskLogs> {
  const { wallet } = signerOf(client, 'reading task logs');
  if (!client.workerUrl)
    throw new InvalidArgumentError(
      'workerUrl',
      'is not configured',
      'Give createConfidantClient the URL of the worker that runs your tasks (npm start prints it).',
    );
  if (!/^0x[0-9a-fA-F]{64}$/.test(parameters.taskId))
    throw new InvalidArgumentError('taskId', 'must be a 32-byte hex task id', 'Pass the taskId processProtectedData returned.');
  const expiresAt = Math.floor(Date.now() / 1000) + 120;
  const authorization = await wallet.walletClient.signMessage({
    message: { raw: hashTaskLogsRequest({ taskId: parameters.taskId, expiresAt }) },
  });
  const response = await client.fetch(`${client.workerUrl}/tasks/${parameters.taskId}/logs`, {
    headers: { authorization, 'x-expires-at': String(expiresAt) },
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = (body as { error?: { message?: string } } | undefined)?.error?.message ?? `HTTP ${response.status}`;
    throw new ResultUnavailableError(
      parameters.taskId,
      `has no logs for you: ${message}`,
      response.status === 403 ? "Only the task's requester can read its logs: use that account." : 'Check the worker URL and the task id.',
    );
  }
  const parsed = answer.safeParse(body);
  if (!parsed.success) throw new UnexpectedResponseError('worker', 'answer to a logs request');
  return { ...parsed.data, taskId: parameters.taskId, cause: parsed.data.cause ?? null };
}
