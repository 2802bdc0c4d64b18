import { getTask } from '@confidant/contracts';
import { BaseError } from '@confidant/errors';
import { collect, readResult, type ZipLimits } from '@confidant/protected-data';
import { hexToString, type Hex } from 'viem';
import { z } from 'zod';
import type { ConfidantClient } from '../client.js';
import { type ResultKeyPair, resultKeyOf } from '../internal/resultKey.js';

/** A task's result cannot be obtained or opened. */
export class ResultUnavailableError extends BaseError {
  override name = 'ResultUnavailableError';
  constructor(taskId: Hex, reason: string, hint: string) {
    super(`the result of task ${taskId} ${reason}`, { hints: [hint], kind: 'unavailable' });
  }
}

/** A decrypted result: the files the app wrote to IEXEC_OUT, by path, and its computed.json. */
export type TaskResult = { files: Record<string, Uint8Array>; computed: Record<string, unknown> | undefined };

const location = z.object({ storage: z.string(), location: z.string().startsWith('/ipfs/') });
const text = new TextDecoder();

/**
 * Downloads a completed task's result and decrypts it with the beneficiary's key (by default the
 * one this client pushed to the SMS), with the client's crypto: Node's in Node, WebCrypto in
 * browsers. Results zipped as ours (STORED) or as iExec's workers (DEFLATE) are read; `limits`
 * bounds what is inflated (by default 256 MiB per file and in all).
 *
 * @example
 * const { files } = await getResultFromCompletedTask(confidant, { taskId });
 * new TextDecoder().decode(files['result.txt']);
 */
export async function getResultFromCompletedTask(
  client: ConfidantClient,
  parameters: {
    taskId: Hex;
    resultKey?: ResultKeyPair | undefined;
    limits?: ZipLimits | undefined;
    onStatusUpdate?: ((status: { title: 'CONSUME_RESULT_DOWNLOAD' | 'CONSUME_RESULT_DECRYPT'; isDone: boolean }) => void) | undefined;
  },
): Promise<TaskResult> {
  const { taskId } = parameters;
  const task = await getTask(client.poco, { taskId });
  if (task.status !== 'COMPLETED')
    throw new ResultUnavailableError(taskId, `is not there yet: the task is ${task.status}`, 'Wait for it with waitForTaskCompletion.');
  let where: z.infer<typeof location>;
  try {
    where = location.parse(JSON.parse(hexToString(task.results)));
  } catch {
    throw new ResultUnavailableError(taskId, 'is not stored where this SDK can read it', 'Only results stored on IPFS can be downloaded.');
  }
  parameters.onStatusUpdate?.({ title: 'CONSUME_RESULT_DOWNLOAD', isDone: false });
  const zip = await collect(await client.storage.download(where.location.slice('/ipfs/'.length)));
  parameters.onStatusUpdate?.({ title: 'CONSUME_RESULT_DOWNLOAD', isDone: true });

  const result = await readResult(zip, {
    crypto: client.crypto,
    limits: parameters.limits,
    // Asked for only when the result is encrypted: a client that never ran a task makes no key here.
    privateKey: async () => {
      parameters.onStatusUpdate?.({ title: 'CONSUME_RESULT_DECRYPT', isDone: false });
      return (parameters.resultKey ?? (await resultKeyOf(client))).privateKey;
    },
  });
  if (result.encrypted) parameters.onStatusUpdate?.({ title: 'CONSUME_RESULT_DECRYPT', isDone: true });
  const files: Record<string, Uint8Array> = {};
  for (const [path, bytes] of result.files) if (!path.endsWith('/')) files[path] = bytes;
  let computed: Record<string, unknown> | undefined;
  try {
    computed = files['computed.json'] ? (JSON.parse(text.decode(files['computed.json'])) as Record<string, unknown>) : undefined;
  } catch {
    computed = undefined;
  }
  return { files, computed };
}
