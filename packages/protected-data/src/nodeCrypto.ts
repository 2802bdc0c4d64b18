import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { CryptoProvider } from './crypto.js';
import { CorruptedDataError } from './errors.js';

const view = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

/**
 * The primitives from Node: OpenSSL through `node:crypto` and zlib's CRC-32, all native.
 *
 * @example
 * const protectedData = await protect(data, { crypto: nodeCrypto });
 */
export const nodeCrypto: CryptoProvider = {
  randomBytes: (length) => view(randomBytes(length)),
  createEncryptor(key, iv) {
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    return {
      update: async (chunk) => view(cipher.update(chunk)),
      final: async () => view(cipher.final()),
    };
  },
  createDecryptor(key, iv) {
    const decipher = createDecipheriv('aes-256-cbc', key, iv);
    return {
      update: async (chunk) => view(decipher.update(chunk)),
      async final() {
        try {
          return view(decipher.final());
        } catch {
          throw new CorruptedDataError('decryption failed: wrong key or damaged ciphertext');
        }
      },
    };
  },
  createSha256() {
    const hash = createHash('sha256');
    return { update: (chunk) => void hash.update(chunk), digest: () => view(hash.digest()) };
  },
  crc32: (data, previous = 0) => crc32(data, previous),
};
