// Confidant's app-side helpers for JavaScript iApps (Node.js standard library only).
//
// The same API as `@confidant/enclave/app`: read the task's arguments, input files, secrets and
// protected data, and write the result. It reads only the IEXEC_* environment a worker sets
// (Confidant's runner, `confidant test`, or iExec's workers) and files, so the app runs unchanged
// everywhere. Protected data is read as iExec's deserializer does: a dotted path maps to the zip
// entry a/b/c; "bool", "f64", "i128", "string" are borsh; any other type (a MIME type) gives bytes.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

export const RESULT_FILE_NAME_MAX_LENGTH = 31;

/** Base of the helper's errors: a short message, then what to do next. */
export class ConfidantError extends Error {
  constructor(message, hint) {
    super(hint ? `${message}\n-> ${hint}` : message);
    this.name = 'ConfidantError';
    this.shortMessage = message;
    this.hint = hint;
  }
}

const env = (name, source = process.env) => (source[name] ? source[name] : undefined);
const count = (name, source) => Math.max(0, Number.parseInt(env(name, source) ?? '0', 10) || 0);

function required(name, source) {
  const value = env(name, source);
  if (value === undefined) throw new ConfidantError(`${name} is not set: this code expects to run as an iApp inside a task`, 'Run the app with `confidant test` or through a worker, which set the IEXEC_* variables.');
  return value;
}

/** The app's arguments: the request's iexec_args, given as the command's arguments. */
export function getArgs(argv = process.argv) {
  return argv.slice(2);
}

/** The task's input files, in the request's order: { index, name, path }. */
export function getInputFiles(source = process.env) {
  const files = [];
  for (let n = 1; n <= count('IEXEC_INPUT_FILES_NUMBER', source); n++) {
    const name = env(`IEXEC_INPUT_FILE_NAME_${n}`, source);
    if (!name) continue;
    const folder = env('IEXEC_INPUT_FILES_FOLDER', source) ?? required('IEXEC_IN', source);
    files.push({ index: n, name, path: join(folder, name) });
  }
  return files;
}

/** A requester secret by its index in the request's iexec_secrets, or undefined. */
export function getRequesterSecret(index, source = process.env) {
  return source[`IEXEC_REQUESTER_SECRET_${index}`];
}

/** The app developer's secret, or undefined. */
export function getAppDeveloperSecret(source = process.env) {
  return source.IEXEC_APP_DEVELOPER_SECRET;
}

// --- protected data -------------------------------------------------------------------------

function readZipDirectory(zip) {
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 65_557); at--) {
    if (zip.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new ConfidantError('the protected data is not a zip archive', 'Protect the data again with the SDK or `confidant mock protected-data`.');
  const entries = new Map();
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new ConfidantError('the protected data archive is damaged');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    entries.set(name, { method, compressedSize, localOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function borshString(data) {
  if (data.length < 4 || data.readUInt32LE(0) !== data.length - 4) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(4));
  } catch {
    return undefined;
  }
}

/** Decodes an entry's bytes as a schema type ("optimistic" mode: borsh, strings fall back to UTF-8). */
export function decodeValue(path, data, type) {
  const fail = (reason) => new ConfidantError(`Failed to deserialize "${path}" as "${type}"`, reason);
  if (type === 'bool' || type === 'boolean') {
    if (data.length !== 1 || data[0] > 1) throw fail('not a borsh bool');
    return data[0] === 1;
  }
  if (type === 'f64') {
    if (data.length !== 8) throw fail('not a borsh f64');
    return data.readDoubleLE(0);
  }
  if (type === 'i128') {
    if (data.length !== 16) throw fail('not a borsh i128');
    return BigInt.asIntN(128, data.readBigUInt64LE(0) + (data.readBigUInt64LE(8) << 64n));
  }
  if (type === 'string') return borshString(data) ?? data.toString('utf8');
  if (type === 'number') return Number(data.toString('utf8'));
  return new Uint8Array(data);
}

/** A decrypted protected data archive on disk. */
export class ProtectedData {
  constructor(path) {
    this.path = path;
    this.zip = readFileSync(path);
    this.entries = readZipDirectory(this.zip);
  }

  /** Every entry path of the archive (folders end with /). */
  paths() {
    return [...this.entries.keys()];
  }

  /** The value at a dotted path, decoded by its schema type. */
  getValue(path, type) {
    const entry = this.entries.get(path.split('.').join('/'));
    if (!entry) throw new ConfidantError(`Failed to load path ${path}`, 'Check the path against the protected data schema (dots separate nested keys).');
    const { zip } = this;
    const start = entry.localOffset + 30 + zip.readUInt16LE(entry.localOffset + 26) + zip.readUInt16LE(entry.localOffset + 28);
    const raw = zip.subarray(start, start + entry.compressedSize);
    return decodeValue(path, entry.method === 8 ? inflateRawSync(raw) : raw, type);
  }
}

/** The task's protected data ($IEXEC_IN/$IEXEC_DATASET_FILENAME), or an error "Missing protected data". */
export function getProtectedData(source = process.env) {
  const filename = env('IEXEC_DATASET_FILENAME', source);
  if (!filename) throw new ConfidantError('Missing protected data', 'the task has no protected data (IEXEC_DATASET_FILENAME is not set)');
  const path = join(required('IEXEC_IN', source), filename);
  if (!existsSync(path)) throw new ConfidantError('Missing protected data', `no file ${filename} in IEXEC_IN`);
  return new ProtectedData(path);
}

/** True when the task has a protected data. */
export function hasProtectedData(source = process.env) {
  return env('IEXEC_DATASET_FILENAME', source) !== undefined;
}

/** One value of the task's protected data: getValue('email', 'string'). */
export function getValue(path, type, source = process.env) {
  return getProtectedData(source).getValue(path, type);
}

// --- results --------------------------------------------------------------------------------

/** Writes a file of the result in IEXEC_OUT and returns its path. */
export function writeResultFile(name, content, source = process.env) {
  if (['', '.', '..'].includes(name) || /[/\\\0]/.test(name)) throw new ConfidantError(`cannot write the result file "${name}": it must be a plain file name, without folders`);
  if (Buffer.byteLength(name) > RESULT_FILE_NAME_MAX_LENGTH) throw new ConfidantError(`cannot write the result file "${name}": its name is longer than ${RESULT_FILE_NAME_MAX_LENGTH} bytes`);
  const out = required('IEXEC_OUT', source);
  mkdirSync(out, { recursive: true });
  const path = join(out, name);
  writeFileSync(path, content);
  return path;
}

/** Writes $IEXEC_OUT/computed.json, which the worker requires; returns its path. */
export function writeComputedJson({ deterministicOutputPath, callbackData, errorMessage } = {}, source = process.env) {
  const out = required('IEXEC_OUT', source);
  const computed = {};
  if (errorMessage !== undefined) computed['error-message'] = errorMessage;
  else {
    if (callbackData !== undefined) computed['callback-data'] = callbackData;
    computed['deterministic-output-path'] = deterministicOutputPath ?? out;
  }
  mkdirSync(out, { recursive: true });
  const path = join(out, 'computed.json');
  writeFileSync(path, JSON.stringify(computed));
  return path;
}
