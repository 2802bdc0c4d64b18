import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { writeZip, type ZipEntry } from '@confidant/protected-data';
import { keccak_256 } from '@noble/hashes/sha3';
import type { Hex } from 'viem';
import { ResultRefusedError } from '../errors.js';

/** Output above this is refused (iExec's cap). */
export const MAX_OUTPUT_BYTES = 50 * 1024 * 1024;
/** Result file names longer than this (in bytes) are refused, as iExec's post-compute does. */
export const MAX_RESULT_FILE_NAME_LENGTH = 31;

/** What the app declared in `$IEXEC_OUT/computed.json`. */
export type ComputedFile = { deterministicOutputPath?: string; callbackData?: Hex; errorMessage?: string };

/**
 * Reads and checks `$IEXEC_OUT/computed.json`.
 *
 * @example
 * const computed = await readComputed(outDir);
 */
export async function readComputed(outDir: string): Promise<ComputedFile> {
  const path = join(outDir, 'computed.json');
  const stats = await lstat(path).catch(() => undefined);
  if (!stats?.isFile())
    throw new ResultRefusedError(
      'the app wrote no computed.json in IEXEC_OUT',
      'Write $IEXEC_OUT/computed.json with {"deterministic-output-path": "<a file or folder in IEXEC_OUT>"} before exiting (writeComputedJson does it).',
    );
  if (stats.size > 64 * 1024)
    throw new ResultRefusedError(
      'computed.json is larger than 64 KiB',
      'Keep computed.json to its few fields; put results in other files.',
    );
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new ResultRefusedError('computed.json is not JSON', 'Write computed.json with JSON.stringify (or json.dump).');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ResultRefusedError(
      'computed.json is not a JSON object',
      'Write an object such as {"deterministic-output-path": "/iexec_out/result.txt"}.',
    );
  const fields = json as Record<string, unknown>;
  const out: ComputedFile = {};
  for (const [key, name] of [
    ['deterministic-output-path', 'deterministicOutputPath'],
    ['callback-data', 'callbackData'],
    ['error-message', 'errorMessage'],
  ] as const) {
    const value = fields[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw new ResultRefusedError(`"${key}" in computed.json is not a string`, `Give "${key}" as a string.`);
    out[name] = value as Hex;
  }
  if (out.callbackData !== undefined && !/^0x([0-9a-fA-F]{2})+$/.test(out.callbackData))
    throw new ResultRefusedError(
      '"callback-data" in computed.json is not 0x-prefixed hex bytes',
      'Give the callback data ABI-encoded, as a 0x hex string.',
    );
  if (out.errorMessage === undefined && out.callbackData === undefined && out.deterministicOutputPath === undefined)
    throw new ResultRefusedError(
      'computed.json has neither "deterministic-output-path" nor "callback-data"',
      'Name the result file (or folder) in "deterministic-output-path".',
    );
  return out;
}

/** Where IEXEC_OUT is inside an iExec enclave: the path results name their files by. */
const ENCLAVE_OUT_DIR = '/iexec_out';

/**
 * Rewrites `computed.json` so that its `deterministic-output-path` names the file by its path
 * inside the enclave (`/iexec_out/…`), as iExec's enclaves do, when the app wrote the path of this
 * host's folder (the value of `$IEXEC_OUT` here). The result then never tells where the worker
 * keeps its tasks, and its digest is the one the same app gives on iExec's workers.
 *
 * @example
 * const computed = await placeComputedInEnclave(outDir, await readComputed(outDir));
 */
export async function placeComputedInEnclave(outDir: string, computed: ComputedFile): Promise<ComputedFile> {
  const declared = computed.deterministicOutputPath;
  if (declared === undefined || !isAbsolute(declared)) return computed;
  for (const base of new Set([outDir, await realpath(outDir)])) {
    const inside = relative(base, declared);
    if (inside.startsWith('..') || isAbsolute(inside)) continue;
    const enclavePath = inside === '' ? ENCLAVE_OUT_DIR : posix.join(ENCLAVE_OUT_DIR, inside.split(sep).join('/'));
    const path = join(outDir, 'computed.json');
    const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...json, 'deterministic-output-path': enclavePath }));
    return { ...computed, deterministicOutputPath: enclavePath };
  }
  return computed;
}

/** A regular file of the output folder. */
export type OutputFile = { path: string; size: number };

/**
 * Lists the output folder and enforces its rules: regular files and folders only (no links), names
 * of at most 31 bytes, 50 MiB in all.
 *
 * @example
 * const files = await checkOutputFolder(outDir);
 */
export async function checkOutputFolder(outDir: string): Promise<{ files: OutputFile[]; folders: string[]; totalBytes: number }> {
  const files: OutputFile[] = [];
  const folders: string[] = [];
  let totalBytes = 0;
  async function walk(dir: string): Promise<void> {
    for (const name of await readdir(dir)) {
      const full = join(dir, name);
      const path = relative(outDir, full).split(sep).join('/');
      const stats = await lstat(full);
      if (stats.isDirectory()) {
        folders.push(path);
        await walk(full);
      } else if (stats.isFile()) {
        if (Buffer.byteLength(name) > MAX_RESULT_FILE_NAME_LENGTH)
          throw new ResultRefusedError(
            `the result file name "${name}" is longer than ${MAX_RESULT_FILE_NAME_LENGTH} bytes`,
            `Name result files with at most ${MAX_RESULT_FILE_NAME_LENGTH} characters.`,
          );
        totalBytes += stats.size;
        if (totalBytes > MAX_OUTPUT_BYTES)
          throw new ResultRefusedError(
            `the output is larger than ${MAX_OUTPUT_BYTES / 1024 / 1024} MiB`,
            'Write less to IEXEC_OUT: summarise, or store large outputs elsewhere and return their reference.',
          );
        files.push({ path, size: stats.size });
      } else
        throw new ResultRefusedError(
          `IEXEC_OUT holds ${path}, which is not a regular file or folder`,
          'Write plain files to IEXEC_OUT, without symbolic links.',
        );
    }
  }
  await walk(outDir);
  return { files, folders, totalBytes };
}

function sha256File(path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest()));
  });
}

/** Where `deterministic-output-path` points on this host: inside IEXEC_OUT, or refused. */
async function resolveOutputPath(outDir: string, declared: string): Promise<string> {
  const realOut = await realpath(outDir);
  // Apps written for iExec name their files under /iexec_out, the folder's path in iExec's containers.
  let candidate = declared;
  if (declared === '/iexec_out' || declared.startsWith('/iexec_out/')) candidate = join(outDir, declared.slice('/iexec_out'.length));
  else if (!isAbsolute(declared)) candidate = join(outDir, declared);
  const real = await realpath(candidate).catch(() => undefined);
  if (!real)
    throw new ResultRefusedError(
      `"deterministic-output-path" names ${declared}, which does not exist`,
      'Write the result file before computed.json, and name it by its path in IEXEC_OUT.',
    );
  if (real !== realOut && !real.startsWith(realOut + sep))
    throw new ResultRefusedError(
      `"deterministic-output-path" names ${declared}, which is outside IEXEC_OUT`,
      'Name a file or folder inside IEXEC_OUT.',
    );
  return real;
}

/**
 * The result digest (protocol §5, as iExec's post-compute computes it):
 * - callback mode: keccak256 of the callback-data bytes;
 * - a file: `0x` + sha256 of its content (an empty file is refused, as iExec fails on it);
 * - a folder: keccak256 of the concatenated sha256 of its direct children sorted by name; children
 *   that are folders or empty files add no bytes (iExec hashes them as nothing).
 *
 * @example
 * const resultDigest = await computeResultDigest(outDir, { deterministicOutputPath: '/iexec_out/result.txt' });
 */
export async function computeResultDigest(outDir: string, computed: ComputedFile): Promise<Hex> {
  if (computed.callbackData !== undefined) return keccak256(Buffer.from(computed.callbackData.slice(2), 'hex'));
  if (computed.deterministicOutputPath === undefined)
    throw new ResultRefusedError('computed.json names no result', 'Name the result file (or folder) in "deterministic-output-path".');
  const target = await resolveOutputPath(outDir, computed.deterministicOutputPath);
  const stats = await lstat(target);
  if (stats.isFile()) {
    if (stats.size === 0)
      throw new ResultRefusedError(
        `the result file ${computed.deterministicOutputPath} is empty`,
        'Write something to the result file: an empty result has no digest.',
      );
    return `0x${(await sha256File(target)).toString('hex')}`;
  }
  const names = (await readdir(target)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  if (names.length === 0)
    throw new ResultRefusedError(
      `the result folder ${computed.deterministicOutputPath} is empty`,
      'Write the result files before exiting.',
    );
  const hashes: Buffer[] = [];
  for (const name of names) {
    const child = await lstat(join(target, name));
    if (child.isFile() && child.size > 0) hashes.push(await sha256File(join(target, name)));
  }
  return keccak256(Buffer.concat(hashes));
}

/** keccak256 with @noble/hashes (viem's costs the runner's importers its load time). */
function keccak256(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(keccak_256(bytes)).toString('hex')}`;
}

/**
 * The output folder as one ZIP archive laid out as iExec's post-compute lays it out: files only
 * (folders are implied by paths), DEFLATE, sorted, fixed timestamps — the same output gives the
 * same bytes.
 *
 * @example
 * const zip = await zipOutput(outDir);
 */
export async function zipOutput(outDir: string, listing?: { files: OutputFile[]; folders: string[] }): Promise<Uint8Array> {
  const { files } = listing ?? (await checkOutputFolder(outDir));
  const entries: ZipEntry[] = await Promise.all(
    files.map(async (file) => ({ path: file.path, data: new Uint8Array(await readFile(join(outDir, file.path))) })),
  );
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  return writeZip(entries, { deflateRaw: (bytes) => deflateRawSync(bytes) });
}
