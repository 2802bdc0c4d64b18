import { getTask } from '@confidant/contracts';
import { BaseError } from '@confidant/errors';
import { collect, decryptStream, fromBase64, readZip } from '@confidant/protected-data';
import { hexToString, type Hex } from 'viem';
import { z } from 'zod';
import type { ConfidantClient } from '../client.js';
import { type ResultKeyPair, resultKeyOf, rsaPkcs1Decrypt } from '../internal/resultKey.js';

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
const BASE64 = /^[A-Za-z0-9+/=\s]+$/;
const text = new TextDecoder();

/** iExec writes the wrapped key and the encrypted zip as base64 text; raw bytes are accepted too. */
function unarmor(bytes: Uint8Array): Uint8Array {
  const asText = text.decode(bytes);
  return BASE64.test(asText) && asText.trim().length % 4 === 0 ? fromBase64(asText.replace(/\s/g, '')) : bytes;
}

/**
 * Downloads a completed task's result and decrypts it with the beneficiary's key (by default the
 * one this client pushed to the SMS).
 *
 * @example
 * const { files } = await getResultFromCompletedTask(confidant, { taskId });
 * new TextDecoder().decode(files['result.txt']);
 */
export async function getResultFromCompletedTask(
  client: ConfidantClient,
  parameters: { taskId: Hex; resultKey?: ResultKeyPair | undefined; onStatusUpdate?: ((status: { title: 'CONSUME_RESULT_DOWNLOAD' | 'CONSUME_RESULT_DECRYPT'; isDone: boolean }) => void) | undefined },
): Promise<TaskResult> {
  const { taskId } = parameters;
  const task = await getTask(client.poco, { taskId });
  if (task.status !== 'COMPLETED') throw new ResultUnavailableError(taskId, `is not there yet: the task is ${task.status}`, 'Wait for it with waitForTaskCompletion.');
  let where: z.infer<typeof location>;
  try {
    where = location.parse(JSON.parse(hexToString(task.results)));
  } catch {
    throw new ResultUnavailableError(taskId, 'is not stored where this SDK can read it', 'Only results stored on IPFS can be downloaded.');
  }
  parameters.onStatusUpdate?.({ title: 'CONSUME_RESULT_DOWNLOAD', isDone: false });
  const zip = await collect(await client.storage.download(where.location.slice('/ipfs/'.length)));
  parameters.onStatusUpdate?.({ title: 'CONSUME_RESULT_DOWNLOAD', isDone: true });

  let entries = readZip(zip);
  const wrappedKey = entries.get('aes-key.rsa');
  const encrypted = entries.get('iexec_out.zip.aes');
  if (wrappedKey && encrypted) {
    parameters.onStatusUpdate?.({ title: 'CONSUME_RESULT_DECRYPT', isDone: false });
    const pair = parameters.resultKey ?? (await resultKeyOf(client));
    const unwrapped = rsaPkcs1Decrypt(pair.privateKey, unarmor(wrappedKey));
    const aesKey = unwrapped.length === 32 ? unwrapped : fromBase64(text.decode(unwrapped));
    let binary = '';
    for (const byte of aesKey) binary += String.fromCharCode(byte);
    const inner = await collect(decryptStream([unarmor(encrypted)], { key: btoa(binary), crypto: client.crypto }));
    entries = readZip(inner);
    parameters.onStatusUpdate?.({ title: 'CONSUME_RESULT_DECRYPT', isDone: true });
  }
  const files: Record<string, Uint8Array> = {};
  for (const [path, bytes] of entries) if (!path.endsWith('/')) files[path] = bytes;
  let computed: Record<string, unknown> | undefined;
  try {
    computed = files['computed.json'] ? (JSON.parse(text.decode(files['computed.json'])) as Record<string, unknown>) : undefined;
  } catch {
    computed = undefined;
  }
  return { files, computed };
}
