import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTaskEnv, type TaskEnv } from './env.js';
import { ResultFileError, TaskEnvironmentError } from './errors.js';

/** Result file names longer than this are refused by post-compute (iExec's rule). */
export const RESULT_FILE_NAME_MAX_LENGTH = 31;

function outDirOf(env: TaskEnv): string {
  if (!env.outDir) throw new TaskEnvironmentError('IEXEC_OUT');
  return env.outDir;
}

/**
 * Writes a file of the result in IEXEC_OUT and returns its path.
 *
 * @example
 * const path = writeResultFile('result.txt', `Hello, ${name}!`);
 * writeComputedJson({ deterministicOutputPath: path });
 */
export function writeResultFile(name: string, content: string | Uint8Array, env: TaskEnv = readTaskEnv()): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\') || name.includes('\0'))
    throw new ResultFileError(name, 'it must be a plain file name, without folders');
  if (Buffer.byteLength(name) > RESULT_FILE_NAME_MAX_LENGTH)
    throw new ResultFileError(name, `its name is longer than ${RESULT_FILE_NAME_MAX_LENGTH} bytes`);
  const out = outDirOf(env);
  mkdirSync(out, { recursive: true });
  const path = join(out, name);
  writeFileSync(path, content);
  return path;
}

/** What the app declares about its result in `computed.json`. */
export type Computed = {
  /** The file (or folder) whose digest is the result digest; defaults to IEXEC_OUT itself. */
  deterministicOutputPath?: string;
  /** Hex bytes for a callback contract; the digest is then keccak256 of these bytes. */
  callbackData?: `0x${string}`;
  /** Declares the task failed, with this message for the requester. */
  errorMessage?: string;
};

/**
 * Writes `$IEXEC_OUT/computed.json`, which post-compute requires: without it the task fails.
 *
 * @example
 * writeComputedJson({ deterministicOutputPath: writeResultFile('result.txt', 'done') });
 */
export function writeComputedJson(computed: Computed = {}, env: TaskEnv = readTaskEnv()): string {
  const out = outDirOf(env);
  const json: Record<string, string> = {};
  if (computed.errorMessage !== undefined) json['error-message'] = computed.errorMessage;
  else if (computed.callbackData !== undefined) json['callback-data'] = computed.callbackData;
  if (computed.errorMessage === undefined) json['deterministic-output-path'] = computed.deterministicOutputPath ?? out;
  mkdirSync(out, { recursive: true });
  const path = join(out, 'computed.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}
