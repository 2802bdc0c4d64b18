// Confidant's app-side helpers for JavaScript iApps (Node.js standard library only).
//
// What `@confidant/enclave/app` and the Python helper (confidant_enclave.py) do, synchronously: read
// the task's arguments, input files, secrets and protected data, and write the result. It reads only
// the IEXEC_* environment a worker sets (Confidant's runner, `confidant test`, or iExec's workers)
// and files, so the app runs unchanged everywhere. Protected data is read as iExec's deserializer
// does: a dotted path maps to the zip entry a/b/c; "bool", "f64", "i128", "string" are borsh,
// "boolean" and "number" are legacy types, any other type (a MIME type) gives bytes. Modes:
// "optimistic" (default: borsh, strings fall back to raw UTF-8), "borsh", "legacy".
// The Confidant CLI's tests run the same cases against this file, the Python helper and
// `@confidant/enclave/app`, so the three behave alike.
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

/** The app runs outside a task: a variable of the IEXEC_* contract it needs is not set. */
export class TaskEnvironmentError extends ConfidantError {
  constructor(variable) {
    super(
      `${variable} is not set: this code expects to run as an iApp inside a task`,
      'Run the app with `confidant test` or through a worker, which set the IEXEC_* variables.',
    );
    this.name = 'TaskEnvironmentError';
  }
}

/** The task has no protected data, or its file is not where the environment says (iExec's wording). */
export class MissingProtectedDataError extends ConfidantError {
  constructor(details) {
    super('Missing protected data', details);
    this.name = 'MissingProtectedDataError';
  }
}

/** A path asked of the protected data is not in it (iExec's wording). */
export class MissingValueError extends ConfidantError {
  constructor(path) {
    super(`Failed to load path ${path}`, 'Check the path against the protected data schema (dots separate nested keys).');
    this.name = 'MissingValueError';
    this.path = path;
  }
}

/** A value that cannot be decoded as the asked type in the reader's mode (iExec's wording). */
export class ValueTypeError extends ConfidantError {
  constructor(path, type, mode, reason) {
    super(`Failed to deserialize "${path}" as "${type}" in "${mode}" mode`, reason);
    this.name = 'ValueTypeError';
    this.path = path;
  }
}

/** A result file the app wants to write breaks a rule of the result folder. */
export class ResultFileError extends ConfidantError {
  constructor(name, reason) {
    super(
      `cannot write the result file "${name}": ${reason}`,
      'Write plain files directly in IEXEC_OUT with names of at most 31 characters.',
    );
    this.name = 'ResultFileError';
  }
}

const env = (name, source = process.env) => (source[name] ? source[name] : undefined);
const count = (name, source) => Math.max(0, Number.parseInt(env(name, source) ?? '0', 10) || 0);

function required(name, source) {
  const value = env(name, source);
  if (value === undefined) throw new TaskEnvironmentError(name);
  return value;
}

/** The app's arguments: the request's iexec_args, given as the command's arguments. */
export function getArgs(argv = process.argv) {
  return argv.slice(2);
}

/** The task's input files, in the request's order: { index, name, path }. */
export function getInputFiles(source = process.env) {
  const folder = env('IEXEC_INPUT_FILES_FOLDER', source) ?? env('IEXEC_IN', source);
  const files = [];
  for (let n = 1; n <= count('IEXEC_INPUT_FILES_NUMBER', source); n++) {
    const name = env(`IEXEC_INPUT_FILE_NAME_${n}`, source);
    if (!name) continue;
    if (!folder) throw new TaskEnvironmentError('IEXEC_INPUT_FILES_FOLDER');
    files.push({ index: n, name, path: join(folder, name) });
  }
  return files;
}

/** A requester secret by its index in the request's iexec_secrets, or undefined. */
export function getRequesterSecret(index, source = process.env) {
  return source[`IEXEC_REQUESTER_SECRET_${index}`];
}

/** Every requester secret, by index. */
export function getRequesterSecrets(source = process.env) {
  const secrets = new Map();
  for (const [key, value] of Object.entries(source)) {
    const match = /^IEXEC_REQUESTER_SECRET_(\d+)$/.exec(key);
    if (match && value !== undefined) secrets.set(Number(match[1]), value);
  }
  return secrets;
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
  if (end < 0)
    throw new ConfidantError(
      'the protected data is not a zip archive',
      'Protect the data again with the SDK or `confidant mock protected-data`.',
    );
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

const MODES = ['optimistic', 'borsh', 'legacy'];

/** Decodes an entry's bytes as a schema type, with the rules and messages of iExec's deserializer. */
export function decodeValue(path, data, type, mode = 'optimistic') {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const fail = (reason) => new ValueTypeError(path, type, mode, reason);
  if (type === 'bool' || type === 'f64' || type === 'i128') {
    if (mode === 'legacy') throw fail(`"${type}" is not a type of legacy protected data`);
    if (type === 'bool') {
      if (bytes.length !== 1 || bytes[0] > 1) throw fail('not a borsh bool');
      return bytes[0] === 1;
    }
    if (type === 'f64') {
      if (bytes.length !== 8) throw fail('not a borsh f64');
      return bytes.readDoubleLE(0);
    }
    if (bytes.length !== 16) throw fail('not a borsh i128');
    return bytes.readBigInt64LE(8) * 2n ** 64n + bytes.readBigUInt64LE(0);
  }
  if (type === 'string') {
    if (mode !== 'legacy') {
      const value = borshString(bytes);
      if (value !== undefined) return value;
      if (mode === 'borsh') throw fail('not a borsh string');
    }
    return bytes.toString('utf8');
  }
  if (type === 'number') {
    if (mode === 'borsh') throw fail('"number" is a legacy type; ask for "f64"');
    return Number(bytes.toString('utf8'));
  }
  if (type === 'boolean') {
    if (mode === 'borsh') throw fail('"boolean" is a legacy type; ask for "bool"');
    if (bytes.length !== 1 || bytes[0] > 1) throw fail('not a bool');
    return bytes[0] === 1;
  }
  return new Uint8Array(bytes);
}

/** A decrypted protected data archive on disk. */
export class ProtectedData {
  constructor(path, mode = 'optimistic') {
    if (!MODES.includes(mode)) throw new ConfidantError(`unknown reader mode "${mode}"`, 'Use "optimistic", "borsh" or "legacy".');
    this.path = path;
    this.mode = mode;
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
    if (!entry) throw new MissingValueError(path);
    const { zip } = this;
    const start = entry.localOffset + 30 + zip.readUInt16LE(entry.localOffset + 26) + zip.readUInt16LE(entry.localOffset + 28);
    const raw = zip.subarray(start, start + entry.compressedSize);
    return decodeValue(path, entry.method === 8 ? inflateRawSync(raw) : raw, type, this.mode);
  }
}

function open(folder, filename, mode) {
  if (!filename) throw new MissingProtectedDataError('the task has no protected data (IEXEC_DATASET_FILENAME is not set)');
  if (!folder) throw new TaskEnvironmentError('IEXEC_IN');
  const path = join(folder, filename);
  if (!existsSync(path)) throw new MissingProtectedDataError(`no file ${filename} in IEXEC_IN`);
  return new ProtectedData(path, mode);
}

/** The task's protected data ($IEXEC_IN/$IEXEC_DATASET_FILENAME), or an error "Missing protected data". */
export function getProtectedData(source = process.env, mode = 'optimistic') {
  return open(env('IEXEC_IN', source), env('IEXEC_DATASET_FILENAME', source), mode);
}

/** True when the task has a protected data. */
export function hasProtectedData(source = process.env) {
  return env('IEXEC_DATASET_FILENAME', source) !== undefined;
}

/** One value of the task's protected data: getValue('email', 'string'). */
export function getValue(path, type, source = process.env, mode = 'optimistic') {
  return getProtectedData(source, mode).getValue(path, type);
}

/** The protected data of a bulk task, in order (IEXEC_BULK_SLICE_SIZE, IEXEC_DATASET_<i>_FILENAME). */
export function getBulkProtectedData(source = process.env, mode = 'optimistic') {
  const readers = [];
  for (let i = 1; i <= count('IEXEC_BULK_SLICE_SIZE', source); i++) {
    const filename = env(`IEXEC_DATASET_${i}_FILENAME`, source);
    if (filename) readers.push(open(env('IEXEC_IN', source), filename, mode));
  }
  return readers;
}

// --- results --------------------------------------------------------------------------------

/** Writes a file of the result in IEXEC_OUT and returns its path. */
export function writeResultFile(name, content, source = process.env) {
  if (['', '.', '..'].includes(name) || /[/\\\0]/.test(name))
    throw new ResultFileError(name, 'it must be a plain file name, without folders');
  if (Buffer.byteLength(name) > RESULT_FILE_NAME_MAX_LENGTH)
    throw new ResultFileError(name, `its name is longer than ${RESULT_FILE_NAME_MAX_LENGTH} bytes`);
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
