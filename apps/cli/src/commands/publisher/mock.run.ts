import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DataObject, DataSchema } from '@confidant/protected-data';
import { CliError } from '../../output.js';

/** The files of a mock protected data folder. */
const MOCK_ARCHIVE = 'protected-data.zip';
const MOCK_SCHEMA = 'schema.json';

export type MockResult = { dir: string; archive: string; schema: DataSchema; bytes: number };

function setPath(target: DataObject, path: string, value: DataObject[string]): void {
  const keys = path.split('.');
  if (keys.some((key) => !/^[a-zA-Z0-9\-_]+$/.test(key)))
    throw new CliError(
      `"${path}" is not a valid protected data path`,
      'Use keys of letters, digits, - and _, separated by dots (e.g. profile.photo=./me.jpg).',
    );
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node = node[key] = {};
    else if (
      typeof next === 'object' &&
      next !== null &&
      !(next instanceof Uint8Array) &&
      !(next instanceof Blob) &&
      !(next instanceof ArrayBuffer)
    )
      node = next as DataObject;
    else
      throw new CliError(
        `"${path}" goes through a value that is not an object`,
        'Give each key once: a key holds either a value or nested keys.',
      );
  }
  node[keys[keys.length - 1] as string] = value;
}

/** Parses `--data` JSON and `--file key=path` into the object to protect. */
export async function mockData(options: { data?: string | undefined; file?: string[] | undefined; cwd: string }): Promise<DataObject> {
  let data: DataObject = {};
  if (options.data !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(options.data);
    } catch {
      throw new CliError('--data is not JSON', `Give a JSON object, e.g. --data '{"email":"alice@example.com"}'.`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new CliError('--data is not a JSON object', `Give an object of keys, e.g. --data '{"email":"alice@example.com"}'.`);
    data = parsed as DataObject;
    const check = (value: unknown, path: string) => {
      if (value === null || Array.isArray(value))
        throw new CliError(
          `--data has ${value === null ? 'null' : 'an array'} at "${path}"`,
          'Protected data holds strings, numbers, booleans and nested objects only; give files with --file.',
        );
      if (typeof value === 'object')
        for (const [key, child] of Object.entries(value as object)) check(child, path ? `${path}.${key}` : key);
    };
    check(data, '');
  }
  const { fileLeaf } = await import('@confidant/protected-data/node');
  for (const spec of options.file ?? []) {
    const at = spec.indexOf('=');
    if (at <= 0) throw new CliError(`--file ${spec} is not key=path`, 'Give --file photo=./me.jpg (the key, then the file).');
    const path = resolve(options.cwd, spec.slice(at + 1));
    if (!existsSync(path))
      throw new CliError(`no file ${path} (--file ${spec})`, 'Check the path of the file to put in the mock protected data.');
    setPath(data, spec.slice(0, at), await fileLeaf(path));
  }
  if (Object.keys(data).length === 0)
    throw new CliError('the mock protected data is empty', `Give --data '{"key":"value"}' and/or --file key=path.`);
  return data;
}

/**
 * Writes an unencrypted protected data archive — the zip the SDK encrypts, as DataProtector's
 * createZipFromObject builds it — and its schema into `dir`. This is what the enclave finds in
 * IEXEC_IN once pre-compute decrypted the real protected data.
 */
export async function writeMock(dir: string, data: DataObject): Promise<MockResult> {
  const { createZipFromObject, extractDataSchema } = await import('@confidant/protected-data');
  const { nodeCrypto } = await import('@confidant/protected-data/node');
  const zip = await createZipFromObject(data, { crypto: nodeCrypto });
  const schema = await extractDataSchema(data);
  await mkdir(dir, { recursive: true });
  const archive = join(dir, MOCK_ARCHIVE);
  await writeFile(archive, zip);
  await writeFile(join(dir, MOCK_SCHEMA), `${JSON.stringify(schema, null, 2)}\n`);
  return { dir, archive, schema, bytes: zip.length };
}

/** The archive a `--protected-data` value names: a mock folder or a zip file. */
export async function resolveMock(cwd: string, value: string): Promise<string> {
  const path = resolve(cwd, value);
  if (existsSync(join(path, MOCK_ARCHIVE))) return join(path, MOCK_ARCHIVE);
  const isZip = await readFile(path).then(
    (bytes) => bytes.subarray(0, 2).toString('latin1') === 'PK',
    () => false,
  );
  if (isZip) return path;
  throw new CliError(
    `no protected data archive at ${value}`,
    `Give a folder made by \`confidant mock protected-data --out <dir>\` (it holds ${MOCK_ARCHIVE}), or the zip file itself.`,
  );
}
