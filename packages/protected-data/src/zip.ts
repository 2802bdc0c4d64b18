import { crc32 } from './crc32.js';
import { CorruptedDataError, TooLargeError } from './errors.js';
import { inflateRaw } from './inflate.js';

export type ZipEntry = { path: string; data: Uint8Array; folder?: boolean };

/** How an entry's bytes are stored: 0 as they are (STORED), 8 compressed (DEFLATE). */
type ZipMethod = 0 | 8;

/**
 * Where an entry's bytes are in an archive, as its central directory says: `size` is the entry's
 * (uncompressed) size, `compressedSize` how many bytes it takes in the archive.
 */
export type ZipIndexEntry = {
  path: string;
  folder: boolean;
  crc: number;
  size: number;
  localOffset: number;
  method: ZipMethod;
  compressedSize: number;
};

/**
 * What a reader accepts before inflating anything: the largest (uncompressed) entry and the largest
 * sum of entries, as the archive declares them. Inflating never goes past what an entry declares.
 */
export type ZipLimits = { maxEntrySize?: number | undefined; maxTotalSize?: number | undefined };

/** unzip's limits where none are given: 256 MiB per entry and in all (Infinity lifts one). */
export const DEFAULT_UNZIP_LIMITS = { maxEntrySize: 256 * 1024 * 1024, maxTotalSize: 256 * 1024 * 1024 } as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

// DOS date and time of 1980-01-01 00:00: fixed, so that the same data makes the same archive.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
/** ZIP without its 64-bit extension stores sizes and offsets in 32 bits. */
export const ZIP_MAX_SIZE = 0xffff_fffe;

/** The local header written before an entry's bytes (`compressedSize` and `method` for DEFLATE entries). */
export function localHeader(
  path: string,
  crc: number,
  size: number,
  stored: { method: ZipMethod; compressedSize: number } = STORED_AS_IS(size),
): Uint8Array {
  const name = encoder.encode(path);
  const out = new Uint8Array(30 + name.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x04034b50, true);
  view.setUint16(4, stored.method === 8 ? 20 : 10, true);
  view.setUint16(6, 0x0800, true); // UTF-8 names
  view.setUint16(8, stored.method, true);
  view.setUint16(10, DOS_TIME, true);
  view.setUint16(12, DOS_DATE, true);
  view.setUint32(14, crc, true);
  view.setUint32(18, stored.compressedSize, true);
  view.setUint32(22, size, true);
  view.setUint16(26, name.length, true);
  out.set(name, 30);
  return out;
}

const STORED_AS_IS = (size: number) => ({ method: 0 as const, compressedSize: size });

/** An entry's record in the central directory at the end of the archive. */
export function centralHeader(
  entry: Pick<ZipIndexEntry, 'path' | 'folder' | 'crc' | 'size' | 'localOffset'> &
    Partial<Pick<ZipIndexEntry, 'method' | 'compressedSize'>>,
): Uint8Array {
  const name = encoder.encode(entry.path);
  const method = entry.method ?? 0;
  const out = new Uint8Array(46 + name.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x02014b50, true);
  view.setUint16(4, 20, true);
  view.setUint16(6, method === 8 ? 20 : 10, true);
  view.setUint16(8, 0x0800, true);
  view.setUint16(10, method, true);
  view.setUint16(12, DOS_TIME, true);
  view.setUint16(14, DOS_DATE, true);
  view.setUint32(16, entry.crc, true);
  view.setUint32(20, entry.compressedSize ?? entry.size, true);
  view.setUint32(24, entry.size, true);
  view.setUint16(28, name.length, true);
  view.setUint32(38, entry.folder ? 0x10 : 0, true);
  view.setUint32(42, entry.localOffset, true);
  out.set(name, 46);
  return out;
}

/** The end-of-central-directory record. */
export function endRecord(count: number, centralSize: number, centralOffset: number): Uint8Array {
  if (count > 0xffff) throw new TooLargeError(`${count} values`, 'at most 65,535 values fit in one protected data');
  if (centralOffset + centralSize > ZIP_MAX_SIZE) throw new TooLargeError('the archive', 'protected data archives are limited to 4 GiB');
  const out = new Uint8Array(22);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x06054b50, true);
  view.setUint16(8, count, true);
  view.setUint16(10, count, true);
  view.setUint32(12, centralSize, true);
  view.setUint32(16, centralOffset, true);
  return out;
}

/**
 * Raw DEFLATE (RFC 1951, no zlib header), e.g. Node's `zlib.deflateRawSync`: given to `writeZip`,
 * entries are compressed as iExec's workers compress results.
 */
export type DeflateRaw = (data: Uint8Array) => Uint8Array;

/**
 * A ZIP archive with UTF-8 names, folders marked as directories: entries STORED (uncompressed), or
 * DEFLATE when `options.deflateRaw` is given and compressing makes them smaller. Fixed timestamps:
 * the same entries make the same bytes.
 *
 * @example
 * const zip = writeZip([{ path: 'email', data }]);
 * const deflated = writeZip([{ path: 'result.txt', data }], { deflateRaw: (bytes) => zlib.deflateRawSync(bytes) });
 */
export function writeZip(entries: ZipEntry[], options: { deflateRaw?: DeflateRaw | undefined } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const crc = crc32(entry.data);
    const compressed = options.deflateRaw && !entry.folder && entry.data.length > 0 ? options.deflateRaw(entry.data) : undefined;
    const deflated = compressed !== undefined && compressed.length < entry.data.length;
    const body = deflated ? compressed : entry.data;
    const stored = { method: (deflated ? 8 : 0) as ZipMethod, compressedSize: body.length };
    const local = localHeader(entry.path, crc, entry.data.length, stored);
    centrals.push(
      centralHeader({ path: entry.path, folder: entry.folder ?? false, crc, size: entry.data.length, localOffset: offset, ...stored }),
    );
    parts.push(local, body);
    offset += local.length + body.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  return concat([...parts, ...centrals, endRecord(entries.length, centralSize, offset)]);
}

/** The parts, one after the other, in a new array. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** How many trailing bytes hold the end record for sure (the record plus the longest comment). */
export const END_SEARCH_SIZE = 22 + 0xffff;

/**
 * Finds the end record in the archive's last bytes (`tail`, which starts at `tailStart` of an
 * archive of `size` bytes) and returns where the central directory is.
 */
export function parseEndRecord(
  tail: Uint8Array,
  tailStart: number,
  size: number,
): { count: number; centralOffset: number; centralSize: number } {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) !== 0x06054b50) continue;
    const count = view.getUint16(i + 10, true);
    const centralSize = view.getUint32(i + 12, true);
    const centralOffset = view.getUint32(i + 16, true);
    if (centralOffset + centralSize > tailStart + i) throw new CorruptedDataError('the ZIP directory runs past its end record');
    return { count, centralOffset, centralSize };
  }
  throw new CorruptedDataError(size < 22 ? 'too short to be a ZIP archive' : 'no ZIP end record');
}

const mib = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB` : `${bytes} bytes`);

/**
 * The entries of a central directory (`central` = its bytes), checked: STORED or DEFLATE, not
 * encrypted, inside the archive, and within `limits` (none when not given) by their declared sizes.
 */
export function parseCentralDirectory(central: Uint8Array, count: number, archiveSize: number, limits: ZipLimits = {}): ZipIndexEntry[] {
  const view = new DataView(central.buffer, central.byteOffset, central.byteLength);
  const entries: ZipIndexEntry[] = [];
  let total = 0;
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > central.length || view.getUint32(at, true) !== 0x02014b50)
      throw new CorruptedDataError('a ZIP directory record is missing');
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const localOffset = view.getUint32(at + 42, true);
    if (at + 46 + nameLength > central.length) throw new CorruptedDataError('a ZIP entry name runs past the end');
    let path: string;
    try {
      path = decoder.decode(central.subarray(at + 46, at + 46 + nameLength));
    } catch {
      throw new CorruptedDataError('a ZIP entry name is not UTF-8');
    }
    if (method !== 0 && method !== 8)
      throw new CorruptedDataError(`entry ${path} is compressed with ZIP method ${method}; only STORED (0) and DEFLATE (8) are read`);
    if (flags & 0x1)
      throw new CorruptedDataError(
        `entry ${path} is encrypted with a ZIP password; results and protected data are encrypted whole, not by entry`,
      );
    if (size > ZIP_MAX_SIZE || compressedSize > ZIP_MAX_SIZE)
      throw new CorruptedDataError(`entry ${path} declares a ZIP64 size; archives of more than 4 GiB are not read`);
    if (method === 0 && compressedSize !== size) throw new CorruptedDataError(`entry ${path} has two different sizes`);
    if (localOffset + 30 + compressedSize > archiveSize) throw new CorruptedDataError(`entry ${path} runs past the end`);
    if (limits.maxEntrySize !== undefined && size > limits.maxEntrySize) {
      throw new TooLargeError(
        `entry ${path}`,
        `it declares ${mib(size)} uncompressed, more than the ${mib(limits.maxEntrySize)} this reader takes per entry`,
        'If you trust this archive, read it with a larger maxEntrySize.',
      );
    }
    total += size;
    if (limits.maxTotalSize !== undefined && total > limits.maxTotalSize) {
      throw new TooLargeError(
        'the archive',
        `its entries declare more than the ${mib(limits.maxTotalSize)} this reader takes in all`,
        'If you trust this archive, read it with a larger maxTotalSize.',
      );
    }
    entries.push({ path, folder: path.endsWith('/'), crc, size, localOffset, method, compressedSize });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Where an entry's bytes start, from its 30-byte local header. */
export function dataOffset(local: Uint8Array, entry: ZipIndexEntry): number {
  const view = new DataView(local.buffer, local.byteOffset, local.byteLength);
  if (local.length < 30 || view.getUint32(0, true) !== 0x04034b50) throw new CorruptedDataError(`entry ${entry.path} has no local header`);
  return entry.localOffset + 30 + view.getUint16(26, true) + view.getUint16(28, true);
}

/** Every entry of an archive in memory with its bytes as stored (compressed or not), checked to be inside it. */
function locateEntries(zip: Uint8Array, limits: ZipLimits): { entry: ZipIndexEntry; stored: Uint8Array }[] {
  const tailStart = Math.max(0, zip.length - END_SEARCH_SIZE);
  const end = parseEndRecord(zip.subarray(tailStart), tailStart, zip.length);
  const index = parseCentralDirectory(zip.subarray(end.centralOffset, end.centralOffset + end.centralSize), end.count, zip.length, limits);
  return index.map((entry) => {
    const at = dataOffset(zip.subarray(entry.localOffset, entry.localOffset + 30), entry);
    if (at + entry.compressedSize > zip.length) throw new CorruptedDataError(`entry ${entry.path} runs past the end`);
    return { entry, stored: zip.subarray(at, at + entry.compressedSize) };
  });
}

function checkCrc(entry: ZipIndexEntry, data: Uint8Array): Uint8Array {
  if (crc32(data) !== entry.crc) throw new CorruptedDataError(`entry ${entry.path} fails its CRC check`);
  return data;
}

/**
 * An entry's bytes, inflated when it is DEFLATE (never past its declared size) and CRC-checked.
 *
 * @example
 * for await (const chunk of entryData(entry, [storedBytes])) out.push(chunk);
 */
export async function* entryData(
  entry: ZipIndexEntry,
  stored: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  let crc = 0;
  for await (const chunk of entry.method === 8 ? inflateRaw(stored, entry) : stored) {
    crc = crc32(chunk, crc);
    yield chunk;
  }
  if (crc !== entry.crc) throw new CorruptedDataError(`entry ${entry.path} fails its CRC check`);
}

/**
 * Every entry of a ZIP archive of STORED (uncompressed) entries — what protected data archives
 * and app bundles are — by path, synchronously; `limits` (none by default) bound the entries.
 * Anything else — truncated, inconsistent, DEFLATE — is a CorruptedDataError: read archives that
 * may be compressed (task results) with `unzip`.
 *
 * @example
 * const entries = readZip(zip); entries.get('email');
 */
export function readZip(zip: Uint8Array, limits: ZipLimits = {}): Map<string, Uint8Array> {
  const entries = new Map<string, Uint8Array>();
  for (const { entry, stored } of locateEntries(zip, limits)) {
    if (entry.method !== 0)
      throw new CorruptedDataError(
        `entry ${entry.path} is compressed (DEFLATE) and readZip reads STORED entries only; read the archive with unzip, which inflates`,
      );
    entries.set(entry.path, checkCrc(entry, stored));
  }
  return entries;
}

/**
 * Every entry of a ZIP archive held in memory, by path (folders end with `/`), STORED or DEFLATE
 * (iExec's workers deflate their results). Each entry is CRC-checked; before anything is inflated,
 * entries whose declared size is beyond `limits` (default DEFAULT_UNZIP_LIMITS) are refused with a
 * TooLargeError, and an entry that inflates past its declared size (a zip bomb) stops there with a
 * CorruptedDataError. Works in browsers and Node (DecompressionStream).
 *
 * @example
 * const files = await unzip(result, { maxTotalSize: 50 * 1024 * 1024 });
 * new TextDecoder().decode(files.get('result.txt'));
 */
export async function unzip(zip: Uint8Array, limits: ZipLimits = DEFAULT_UNZIP_LIMITS): Promise<Map<string, Uint8Array>> {
  const bounds = {
    maxEntrySize: limits.maxEntrySize ?? DEFAULT_UNZIP_LIMITS.maxEntrySize,
    maxTotalSize: limits.maxTotalSize ?? DEFAULT_UNZIP_LIMITS.maxTotalSize,
  };
  const entries = new Map<string, Uint8Array>();
  for (const { entry, stored } of locateEntries(zip, bounds)) {
    if (entry.method === 0) {
      entries.set(entry.path, checkCrc(entry, stored));
      continue;
    }
    const parts: Uint8Array[] = [];
    for await (const chunk of entryData(entry, [stored])) parts.push(chunk);
    entries.set(entry.path, concat(parts));
  }
  return entries;
}
