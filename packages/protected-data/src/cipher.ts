import { type Progress, prepareArchive } from './archive.js';
import { type ByteSource, keyFromBase64, rechunk, toBase64, toHex } from './bytes.js';
import type { CryptoProvider } from './crypto.js';
import { CorruptedDataError } from './errors.js';
import type { DataObject, DataSchema } from './schema.js';

/** Bytes handed to the cipher at a time: large enough that a call's overhead is negligible. */
const CHUNK = 1 << 20;

/** The size of IV || AES-256-CBC/PKCS#7 ciphertext of `size` bytes. */
export const encryptedSizeOf = (size: number) => 16 + (Math.floor(size / 16) + 1) * 16;

const noop = () => undefined;

/** A stream whose SHA-256 is known once it has been read to the end. */
export type ChecksummedStream = {
  chunks: AsyncIterable<Uint8Array>;
  /** `0x` + sha256 of every byte of `chunks`; settles when they have all been read. */
  checksum: Promise<`0x${string}`>;
};

/**
 * IV || AES-256-CBC/PKCS#7 ciphertext of a stream, with the checksum of those bytes — the encrypted
 * file of a protected data and the value registered on chain, in one pass.
 *
 * @example
 * const { chunks, checksum } = encryptStream(archive.chunks(), { key, crypto: nodeCrypto });
 */
export function encryptStream(
  source: ByteSource,
  options: { key: string; crypto: CryptoProvider; iv?: Uint8Array | undefined; onBytes?: ((bytes: number) => void) | undefined },
): ChecksummedStream {
  const key = keyFromBase64(options.key);
  const { crypto } = options;
  const iv = options.iv ?? crypto.randomBytes(16);
  if (iv.length !== 16) throw new CorruptedDataError('the IV must be 16 bytes');
  let settle!: { resolve: (checksum: `0x${string}`) => void; reject: (error: unknown) => void };
  const checksum = new Promise<`0x${string}`>((resolve, reject) => (settle = { resolve, reject }));
  checksum.catch(noop);
  async function* chunks() {
    try {
      const hash = crypto.createSha256();
      const cipher = crypto.createEncryptor(key, iv);
      hash.update(iv);
      yield iv.slice();
      for await (const chunk of rechunk(source, CHUNK)) {
        const out = await cipher.update(chunk);
        options.onBytes?.(chunk.length);
        if (out.length === 0) continue;
        hash.update(out);
        yield out;
      }
      const last = await cipher.final();
      hash.update(last);
      yield last;
      settle.resolve(toHex(hash.digest()));
    } catch (error) {
      settle.reject(error);
      throw error;
    }
  }
  return { chunks: chunks(), checksum };
}

/**
 * The plaintext of a stream of IV || AES-256-CBC ciphertext; a wrong key or damaged bytes fail
 * with CorruptedDataError (at the end, where the padding is checked).
 *
 * @example
 * for await (const chunk of decryptStream(download, { key, crypto: nodeCrypto })) out.write(chunk);
 */
export async function* decryptStream(source: ByteSource, options: { key: string; crypto: CryptoProvider }): AsyncGenerator<Uint8Array> {
  const key = keyFromBase64(options.key);
  let iv: Uint8Array | undefined;
  let cipher: ReturnType<CryptoProvider['createDecryptor']> | undefined;
  let total = 0;
  for await (const chunk of rechunk(source, CHUNK)) {
    total += chunk.length;
    let data = chunk;
    if (!cipher) {
      // The first chunk holds the whole IV: rechunk gives CHUNK bytes unless the stream is shorter.
      if (data.length < 16) break;
      iv = data.slice(0, 16);
      cipher = options.crypto.createDecryptor(key, iv);
      data = data.subarray(16);
    }
    const out = await cipher.update(data);
    if (out.length > 0) yield out;
  }
  if (!cipher || total < 32 || (total - 16) % 16 !== 0) throw new CorruptedDataError('the ciphertext is not IV + whole AES blocks');
  const last = await cipher.final();
  if (last.length > 0) yield last;
}

/** A protected data ready to upload: its schema, its key, and its encrypted bytes as a stream. */
export type ProtectedStream = ChecksummedStream & {
  schema: DataSchema;
  /** The AES-256 key, base64: it goes to the SMS and nowhere else. */
  key: string;
  archiveSize: number;
  /** Bytes of IV || ciphertext. */
  encryptedSize: number;
};

/**
 * Serialises, encrypts and checksums an object as one stream: memory stays bounded whatever the
 * size of its files. Read `chunks` once (upload them), then await `checksum`.
 *
 * @example
 * const protectedData = await protect({ email: 'a@b.c' }, { crypto: nodeCrypto });
 * await upload(protectedData.chunks);
 * const checksum = await protectedData.checksum;
 */
export async function protect(
  data: DataObject,
  options: {
    crypto: CryptoProvider;
    key?: string | undefined;
    iv?: Uint8Array | undefined;
    onProgress?: ((progress: Progress) => void) | undefined;
  },
): Promise<ProtectedStream> {
  const archive = await prepareArchive(data, options);
  const key = options.key ?? toBase64(options.crypto.randomBytes(32));
  let done = 0;
  const encrypted = encryptStream(archive.chunks(), {
    key,
    crypto: options.crypto,
    iv: options.iv,
    onBytes: (bytes) => {
      done += bytes;
      options.onProgress?.({ phase: 'encrypt', bytes: done, total: archive.size });
    },
  });
  return { ...encrypted, schema: archive.schema, key, archiveSize: archive.size, encryptedSize: encryptedSizeOf(archive.size) };
}

/** Collects a stream into one array (for small data and tests). */
export async function collect(source: ByteSource): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    parts.push(chunk.slice());
    size += chunk.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
