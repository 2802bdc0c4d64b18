import { inflateRawSync } from 'node:zlib';
import { crc32 } from 'node:zlib';
import { ResultDecryptionError } from '../errors.js';

/**
 * Every file of a small ZIP archive held in memory, stored or deflated (iExec's workers deflate,
 * ours store). Folders are skipped. For results, which are capped at 50 MiB.
 *
 * @example
 * const files = readZipEntries(zip); files.get('aes-key.rsa');
 */
export function readZipEntries(zip: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ResultDecryptionError('it is not a ZIP archive');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const files = new Map<string, Uint8Array>();
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== 0x02014b50) throw new ResultDecryptionError('its ZIP directory is damaged');
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressed = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    const name = decoder.decode(zip.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (name.endsWith('/')) continue;
    if (local + 30 > zip.length || view.getUint32(local, true) !== 0x04034b50) throw new ResultDecryptionError(`its entry ${name} has no local header`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const raw = zip.subarray(start, start + compressed);
    if (raw.length !== compressed) throw new ResultDecryptionError(`its entry ${name} is truncated`);
    let data: Uint8Array;
    if (method === 0) data = raw;
    else if (method === 8) data = new Uint8Array(inflateRawSync(raw));
    else throw new ResultDecryptionError(`its entry ${name} uses ZIP method ${method}`);
    if ((crc32(data) >>> 0) !== crc) throw new ResultDecryptionError(`its entry ${name} fails its CRC check`);
    files.set(name, data);
  }
  return files;
}
