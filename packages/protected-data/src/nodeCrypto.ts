import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  type JsonWebKey,
  type KeyObject,
  privateDecrypt,
  randomBytes,
} from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { CryptoProvider } from './crypto.js';
import { CorruptedDataError, ResultDecryptionError } from './errors.js';
import { checkBlockLength, type ResultPrivateKey, rsaDecryptRawJs, wrongKey } from './rsa.js';

const view = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

/**
 * The raw RSA operation by OpenSSL. Node 20 refuses PKCS#1 v1.5 private decryption (CVE-2023-46809,
 * a timing oracle for servers that answer on decryption errors); results are decrypted offline by
 * their holder, so the padding is checked by the caller, with one error for every failure.
 */
async function rsaDecryptRaw(privateKey: ResultPrivateKey, block: Uint8Array): Promise<Uint8Array> {
  let key: KeyObject;
  try {
    key =
      typeof privateKey === 'string' ? createPrivateKey(privateKey) : createPrivateKey({ key: privateKey as JsonWebKey, format: 'jwk' });
  } catch {
    // OpenSSL wants a JWK's CRT fields too; the operation itself needs only n and d.
    if (typeof privateKey !== 'string') return rsaDecryptRawJs(privateKey, block);
    throw new ResultDecryptionError('the private key is not a PEM private key', {
      hint: 'Pass the RSA private key as a PEM (PKCS#8 or PKCS#1) or as a JWK.',
    });
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new ResultDecryptionError(`the private key is not an RSA key (it is ${key.asymmetricKeyType})`, {
      hint: 'Pass the RSA private key whose public key was pushed to the SMS.',
    });
  checkBlockLength(block, Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8));
  try {
    return view(privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, block));
  } catch {
    throw wrongKey();
  }
}

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
  rsaDecryptRaw,
};
