import { crc32 } from './crc32.js';
import { CorruptedDataError, MissingValueError, ValueTypeError } from './errors.js';
import {
  concat,
  dataOffset,
  END_SEARCH_SIZE,
  entryData,
  parseCentralDirectory,
  parseEndRecord,
  readZip,
  type ZipIndexEntry,
} from './zip.js';

export type ValueOf<type extends string> = type extends 'bool' | 'boolean'
  ? boolean
  : type extends 'f64' | 'number'
    ? number
    : type extends 'i128'
      ? bigint
      : type extends 'string'
        ? string
        : Uint8Array;

/**
 * How values are decoded, as iExec's deserializer does: `borsh` for current protected data,
 * `legacy` for data made by DataProtector v0 (strings and numbers as text), `optimistic` (default)
 * tries borsh and falls back to legacy for strings.
 */
export type ReaderMode = 'optimistic' | 'borsh' | 'legacy';

export type ProtectedDataReader = {
  /** The value at a dotted path, decoded by its schema type (any MIME type gives bytes). */
  getValue<type extends string>(path: string, type: type): ValueOf<type>;
  /** Every entry path of the archive (folders end with `/`). */
  paths(): string[];
};

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

function borshString(data: Uint8Array): string | undefined {
  if (data.length < 4) return undefined;
  const length = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0, true);
  if (length !== data.length - 4) return undefined;
  try {
    return strict.decode(data.subarray(4));
  } catch {
    return undefined;
  }
}

/** Decodes an entry's bytes as `type`; the rules and messages of iExec's deserializer. */
export function decodeValue<type extends string>(
  path: string,
  data: Uint8Array,
  type: type,
  mode: ReaderMode = 'optimistic',
): ValueOf<type> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const fail = (reason: string) => new ValueTypeError(path, type, mode, reason);
  switch (type) {
    case 'bool':
    case 'f64':
    case 'i128':
      if (mode === 'legacy') throw new ValueTypeError(path, type, mode, `"${type}" is not a type of legacy protected data`);
      if (type === 'bool') {
        if (data.length !== 1 || (data[0] as number) > 1) throw fail('not a borsh bool');
        return (data[0] === 1) as ValueOf<type>;
      }
      if (type === 'f64') {
        if (data.length !== 8) throw fail('not a borsh f64');
        return view.getFloat64(0, true) as ValueOf<type>;
      }
      if (data.length !== 16) throw fail('not a borsh i128');
      return (view.getBigInt64(8, true) * 2n ** 64n + view.getBigUint64(0, true)) as ValueOf<type>;
    case 'string': {
      if (mode !== 'legacy') {
        const value = borshString(data);
        if (value !== undefined) return value as ValueOf<type>;
        if (mode === 'borsh') throw fail('not a borsh string');
      }
      return lenient.decode(data) as ValueOf<type>;
    }
    case 'number':
      if (mode === 'borsh') throw new ValueTypeError(path, type, mode, '"number" is a legacy type; ask for "f64"');
      return Number(lenient.decode(data)) as ValueOf<type>;
    case 'boolean':
      if (mode === 'borsh') throw new ValueTypeError(path, type, mode, '"boolean" is a legacy type; ask for "bool"');
      if (data.length !== 1 || (data[0] as number) > 1) throw fail('not a bool');
      return (data[0] === 1) as ValueOf<type>;
    default:
      return data as ValueOf<type>;
  }
}

const zipPath = (path: string) => path.split('.').join('/');

/**
 * Reads a decrypted protected data archive held in memory with the semantics of iExec's
 * deserializer: a dotted path maps to the zip path, `bool`/`boolean`, `f64`/`number`, `i128` and
 * `string` are decoded, anything else is returned as bytes. It reads synchronously, so its
 * entries must be STORED (as DataProtector writes them); openArchive also reads DEFLATE ones.
 *
 * @example
 * const reader = createReader(zip);
 * const email = reader.getValue('email', 'string');
 */
export function createReader(zip: Uint8Array, options: { mode?: ReaderMode } = {}): ProtectedDataReader {
  const entries = readZip(zip);
  return {
    paths: () => [...entries.keys()],
    getValue(path, type) {
      const data = entries.get(zipPath(path));
      if (!data) throw new MissingValueError(path, 'no such entry');
      return decodeValue(path, data, type, options.mode);
    },
  };
}

/** Random access to an archive's bytes (a file, a `Blob`, bytes in memory). */
export type ArchiveSource = {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
};

/**
 * A source over a `Blob`: a browser `File`, or a file on disk through Node's `fs.openAsBlob`,
 * read range by range.
 *
 * @example
 * const archive = await openArchive(blobSource(file));
 */
export function blobSource(blob: Blob): ArchiveSource {
  return { size: blob.size, read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()) };
}

export function bytesSource(bytes: Uint8Array): ArchiveSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}

/** An archive read lazily: only its directory up front, then each entry asked for. */
export type ArchiveReader = {
  paths(): string[];
  getValue<type extends string>(path: string, type: type): Promise<ValueOf<type>>;
  /** An entry's bytes as a stream (its CRC is checked at the end). */
  stream(path: string, chunkSize?: number): AsyncGenerator<Uint8Array>;
};

/**
 * Opens a protected data archive without loading it: reads the central directory, then only the
 * entries asked for, so a value is read from a multi-gigabyte archive in a few small reads.
 * STORED entries (what DataProtector writes) and DEFLATE ones are read; each is CRC-checked, and a
 * DEFLATE one never inflates past the size it declares.
 *
 * @example
 * const archive = await openArchive(blobSource(await openAsBlob(path)));
 * const email = await archive.getValue('email', 'string');
 */
export async function openArchive(source: ArchiveSource, options: { mode?: ReaderMode } = {}): Promise<ArchiveReader> {
  const tailStart = Math.max(0, source.size - END_SEARCH_SIZE);
  const end = parseEndRecord(await source.read(tailStart, source.size - tailStart), tailStart, source.size);
  const index = new Map<string, ZipIndexEntry>();
  for (const entry of parseCentralDirectory(await source.read(end.centralOffset, end.centralSize), end.count, source.size))
    index.set(entry.path, entry);

  async function locate(path: string): Promise<{ entry: ZipIndexEntry; at: number }> {
    const entry = index.get(zipPath(path));
    if (!entry) throw new MissingValueError(path, 'no such entry');
    const at = dataOffset(await source.read(entry.localOffset, 30), entry);
    if (at + entry.compressedSize > source.size) throw new CorruptedDataError(`entry ${entry.path} runs past the end`);
    return { entry, at };
  }

  /** The entry's bytes as the archive stores them (compressed or not), read `chunkSize` at a time. */
  async function* stored(entry: ZipIndexEntry, at: number, chunkSize: number): AsyncGenerator<Uint8Array> {
    for (let done = 0; done < entry.compressedSize; ) {
      const chunk = await source.read(at + done, Math.min(chunkSize, entry.compressedSize - done));
      if (chunk.length === 0) throw new CorruptedDataError(`entry ${entry.path} runs past the end`);
      done += chunk.length;
      yield chunk;
    }
  }

  async function* stream(path: string, chunkSize = 1 << 20): AsyncGenerator<Uint8Array> {
    const { entry, at } = await locate(path);
    yield* entryData(entry, stored(entry, at, chunkSize));
  }

  return {
    paths: () => [...index.keys()],
    stream,
    async getValue(path, type) {
      const { entry, at } = await locate(path);
      if (entry.method === 8) {
        const parts: Uint8Array[] = [];
        for await (const chunk of entryData(entry, stored(entry, at, 1 << 20))) parts.push(chunk);
        return decodeValue(path, concat(parts), type, options.mode);
      }
      const data = await source.read(at, entry.size);
      if (data.length !== entry.size) throw new CorruptedDataError(`entry ${entry.path} runs past the end`);
      if (crc32(data) !== entry.crc) throw new CorruptedDataError(`entry ${entry.path} fails its CRC check`);
      return decodeValue(path, data, type, options.mode);
    },
  };
}
