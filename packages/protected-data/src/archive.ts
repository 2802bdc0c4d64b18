import { encodeLeaf } from './borsh.js';
import type { CryptoProvider } from './crypto.js';
import { CorruptedDataError, TooLargeError } from './errors.js';
import { type DataObject, type DataSchema, headOf, walk } from './schema.js';
import { sniffMimeType } from './mime.js';
import { centralHeader, endRecord, localHeader, ZIP_MAX_SIZE } from './zip.js';

/** Progress of long work on files: bytes done out of a total. */
export type Progress = { phase: 'checksum-files' | 'encrypt'; bytes: number; total: number };

type PlannedEntry = { path: string; folder: boolean; crc: number; size: number; content: Uint8Array | Blob };

/** A protected data archive, planned: its schema and size are known, its bytes come as a stream. */
export type PreparedArchive = {
  schema: DataSchema;
  /** Bytes the archive will have. */
  size: number;
  /** The archive's bytes, in order; may be read more than once. */
  chunks(): AsyncGenerator<Uint8Array>;
};

async function crcOfBlob(blob: Blob, crypto: CryptoProvider, onBytes: (bytes: number) => void): Promise<number> {
  let crc = 0;
  for await (const chunk of blob.stream() as unknown as AsyncIterable<Uint8Array>) {
    crc = crypto.crc32(chunk, crc);
    onBytes(chunk.length);
  }
  return crc;
}

/**
 * Plans the archive of an object — one STORED entry per leaf at `a/b/c` (borsh-encoded), a folder
 * entry per nested object, in key order, as DataProtector's createZipFromObject builds it — and
 * infers its schema. Files (`Blob` leaves) are read once here for their CRC, and again when the
 * archive is streamed; nothing is held in memory but the small values.
 *
 * @example
 * const archive = await prepareArchive({ email: 'a@b.c', photo: await openAsBlob('me.jpg') }, { crypto: nodeCrypto });
 * for await (const chunk of archive.chunks()) upload(chunk);
 */
export async function prepareArchive(
  data: DataObject,
  options: { crypto: CryptoProvider; onProgress?: ((progress: Progress) => void) | undefined },
): Promise<PreparedArchive> {
  const schema: DataSchema = {};
  const entries: PlannedEntry[] = [];
  const items = [...walk(data)];
  const fileTotal = items.reduce((sum, item) => sum + (!item.folder && item.leaf.kind === 'blob' ? item.leaf.value.size : 0), 0);
  let fileDone = 0;
  for (const item of items) {
    let node = schema;
    for (const key of item.path.slice(0, -1)) node = node[key] as DataSchema;
    const last = item.path[item.path.length - 1] as string;
    const path = item.path.join('/');
    if (item.folder) {
      node[last] = {};
      entries.push({ path: `${path}/`, folder: true, crc: 0, size: 0, content: new Uint8Array(0) });
    } else if (item.leaf.kind === 'blob') {
      const blob = item.leaf.value;
      if (blob.size > ZIP_MAX_SIZE)
        throw new TooLargeError(`"${item.path.join('.')}" (${blob.size} bytes)`, 'a protected file is limited to 4 GiB');
      node[last] = sniffMimeType(await headOf(blob));
      const crc = await crcOfBlob(blob, options.crypto, (bytes) => {
        fileDone += bytes;
        options.onProgress?.({ phase: 'checksum-files', bytes: fileDone, total: fileTotal });
      });
      entries.push({ path, folder: false, crc, size: blob.size, content: blob });
    } else {
      const bytes = encodeLeaf(item.leaf);
      node[last] = item.leaf.kind === 'bytes' ? item.leaf.mime : item.leaf.kind;
      entries.push({ path, folder: false, crc: options.crypto.crc32(bytes), size: bytes.length, content: bytes });
    }
  }
  const encoder = new TextEncoder();
  const nameLengths = entries.map((entry) => encoder.encode(entry.path).length);
  const localSize = entries.reduce((sum, entry, i) => sum + 30 + (nameLengths[i] as number) + entry.size, 0);
  const centralSize = nameLengths.reduce((sum, length) => sum + 46 + length, 0);
  const end = endRecord(entries.length, centralSize, localSize);
  const crypto = options.crypto;

  return {
    schema,
    size: localSize + centralSize + end.length,
    async *chunks() {
      let offset = 0;
      const offsets: number[] = [];
      for (const entry of entries) {
        offsets.push(offset);
        const header = localHeader(entry.path, entry.crc, entry.size);
        yield header;
        offset += header.length;
        if (entry.content instanceof Uint8Array) {
          if (entry.content.length > 0) yield entry.content;
        } else {
          // The file is read again: it must not have changed since its CRC was taken.
          let crc = 0;
          let size = 0;
          for await (const chunk of entry.content.stream() as unknown as AsyncIterable<Uint8Array>) {
            crc = crypto.crc32(chunk, crc);
            size += chunk.length;
            yield chunk;
          }
          if (crc !== entry.crc || size !== entry.size)
            throw new CorruptedDataError(`the file at "${entry.path}" changed while it was being protected; protect it again`);
        }
        offset += entry.size;
      }
      for (const [i, entry] of entries.entries())
        yield centralHeader({
          path: entry.path,
          folder: entry.folder,
          crc: entry.crc,
          size: entry.size,
          localOffset: offsets[i] as number,
        });
      yield end;
    },
  };
}

/**
 * The whole archive of an object in memory, for small data (what DataProtector's
 * createZipFromObject returns).
 *
 * @example
 * const zip = await createZipFromObject({ email: 'alice@example.com' }, { crypto: webCrypto });
 */
export async function createZipFromObject(data: DataObject, options: { crypto: CryptoProvider }): Promise<Uint8Array> {
  const archive = await prepareArchive(data, options);
  const out = new Uint8Array(archive.size);
  let at = 0;
  for await (const chunk of archive.chunks()) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
