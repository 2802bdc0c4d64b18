import { crc32 } from './crc32.js';
import { CorruptedDataError } from './errors.js';

export type ZipEntry = { path: string; data: Uint8Array; folder?: boolean };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

// DOS date and time of 1980-01-01 00:00: fixed, so that the same data makes the same archive.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * A ZIP archive of STORED (uncompressed) entries, folders marked as directories, UTF-8 names.
 *
 * @example
 * const zip = writeZip([{ path: 'email', data }]);
 */
export function writeZip(entries: ZipEntry[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = encoder.encode(entry.path);
    const crc = crc32(entry.data);
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 10, true);
    l.setUint16(6, 0x0800, true); // UTF-8 names
    l.setUint16(8, 0, true); // STORED
    l.setUint16(10, DOS_TIME, true);
    l.setUint16(12, DOS_DATE, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, entry.data.length, true);
    l.setUint32(22, entry.data.length, true);
    l.setUint16(26, name.length, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const c = new DataView(central.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 10, true);
    c.setUint16(8, 0x0800, true);
    c.setUint16(10, 0, true);
    c.setUint16(12, DOS_TIME, true);
    c.setUint16(14, DOS_DATE, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, entry.data.length, true);
    c.setUint32(24, entry.data.length, true);
    c.setUint16(28, name.length, true);
    c.setUint32(38, entry.folder ? 0x10 : 0, true);
    c.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local, entry.data);
    centrals.push(central);
    offset += local.length + entry.data.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, entries.length, true);
  e.setUint16(10, entries.length, true);
  e.setUint32(12, centralSize, true);
  e.setUint32(16, offset, true);
  const out = new Uint8Array(offset + centralSize + 22);
  let at = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Every entry of a ZIP archive of STORED entries (what protected data archives are), by path.
 * Anything else — truncated, compressed, inconsistent — is a CorruptedDataError.
 *
 * @example
 * const entries = readZip(zip); entries.get('email');
 */
export function readZip(zip: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new CorruptedDataError('no ZIP end record');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries = new Map<string, Uint8Array>();
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== 0x02014b50) throw new CorruptedDataError('a ZIP directory record is missing');
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const localAt = view.getUint32(at + 42, true);
    if (at + 46 + nameLength > zip.length) throw new CorruptedDataError('a ZIP entry name runs past the end');
    let path: string;
    try {
      path = decoder.decode(zip.subarray(at + 46, at + 46 + nameLength));
    } catch {
      throw new CorruptedDataError('a ZIP entry name is not UTF-8');
    }
    if (method !== 0) throw new CorruptedDataError(`entry ${path} is compressed (method ${method}); protected data entries are stored`);
    if (localAt + 30 > zip.length || view.getUint32(localAt, true) !== 0x04034b50) throw new CorruptedDataError(`entry ${path} has no local header`);
    const dataAt = localAt + 30 + view.getUint16(localAt + 26, true) + view.getUint16(localAt + 28, true);
    if (dataAt + size > zip.length) throw new CorruptedDataError(`entry ${path} runs past the end`);
    const data = zip.subarray(dataAt, dataAt + size);
    if (crc32(data) !== crc) throw new CorruptedDataError(`entry ${path} fails its CRC check`);
    entries.set(path, data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
