import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchiveReader, ReaderMode, ValueOf } from '@confidant/protected-data';
import { openArchiveFile } from '@confidant/protected-data/node';
import { readTaskEnv, type TaskEnv } from './env.js';
import { MissingProtectedDataError, TaskEnvironmentError } from './errors.js';

export type ProtectedDataOptions = { mode?: ReaderMode; env?: TaskEnv };

async function open(inDir: string | undefined, filename: string | undefined, mode: ReaderMode | undefined): Promise<ArchiveReader> {
  if (!filename) throw new MissingProtectedDataError('the task has no protected data (IEXEC_DATASET_FILENAME is not set)');
  if (!inDir) throw new TaskEnvironmentError('IEXEC_IN');
  const path = join(inDir, filename);
  if (!existsSync(path)) throw new MissingProtectedDataError(`no file ${filename} in IEXEC_IN`);
  return openArchiveFile(path, mode ? { mode } : {});
}

/**
 * The task's protected data, opened lazily: only the archive's directory is read, then each value
 * asked for. Fails with "Missing protected data" when the task has none.
 *
 * @example
 * const data = await getProtectedData();
 * const email = await data.getValue('email', 'string');
 */
export async function getProtectedData(options: ProtectedDataOptions = {}): Promise<ArchiveReader> {
  const env = options.env ?? readTaskEnv();
  return open(env.inDir, env.datasetFilename, options.mode);
}

/**
 * One value of the task's protected data, decoded by its schema type as iExec's deserializer does
 * (`bool`, `f64`, `i128`, `string`; any MIME type gives bytes). Fails with "Failed to load path X"
 * when the path is not in the data.
 *
 * @example
 * const email = await getValue('email', 'string');
 * const photo = await getValue('photo', 'image/jpeg'); // Uint8Array
 */
export async function getValue<type extends string>(path: string, type: type, options: ProtectedDataOptions = {}): Promise<ValueOf<type>> {
  const data = await getProtectedData(options);
  return data.getValue(path, type);
}

/**
 * The protected data of a bulk task, in order (`IEXEC_BULK_SLICE_SIZE`, `IEXEC_DATASET_<i>_FILENAME`).
 *
 * @example
 * for (const data of await getBulkProtectedData()) total += await data.getValue('amount', 'f64');
 */
export async function getBulkProtectedData(options: ProtectedDataOptions = {}): Promise<ArchiveReader[]> {
  const env = options.env ?? readTaskEnv();
  const readers: ArchiveReader[] = [];
  for (const filename of env.bulkDatasetFilenames) readers.push(await open(env.inDir, filename, options.mode));
  return readers;
}
