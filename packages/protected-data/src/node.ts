import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { CorruptedDataError } from './errors.js';

/**
 * A fresh AES-256 key, base64 (how DataProtector and the SMS carry it).
 *
 * @example
 * const key = generateEncryptionKey();
 */
export function generateEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

function keyBytes(keyBase64: string): Buffer {
  const key = Buffer.from(keyBase64, 'base64');
  if (key.length !== 32) throw new CorruptedDataError(`the key is ${key.length} bytes, AES-256 needs 32`);
  return key;
}

/**
 * IV (16 random bytes, or the given one) followed by AES-256-CBC/PKCS#7 ciphertext.
 *
 * @example
 * const encrypted = encryptAes256Cbc(zip, key);
 */
export function encryptAes256Cbc(data: Uint8Array, keyBase64: string, iv: Uint8Array = randomBytes(16)): Uint8Array {
  const cipher = createCipheriv('aes-256-cbc', keyBytes(keyBase64), iv);
  return new Uint8Array(Buffer.concat([iv, cipher.update(data), cipher.final()]));
}

/**
 * The plaintext of IV || AES-256-CBC ciphertext; a wrong key or damaged bytes give CorruptedDataError.
 *
 * @example
 * const zip = decryptAes256Cbc(encrypted, key);
 */
export function decryptAes256Cbc(encrypted: Uint8Array, keyBase64: string): Uint8Array {
  if (encrypted.length < 32 || (encrypted.length - 16) % 16 !== 0) throw new CorruptedDataError('the ciphertext is not IV + whole AES blocks');
  const decipher = createDecipheriv('aes-256-cbc', keyBytes(keyBase64), encrypted.subarray(0, 16));
  try {
    return new Uint8Array(Buffer.concat([decipher.update(encrypted.subarray(16)), decipher.final()]));
  } catch {
    throw new CorruptedDataError('decryption failed: wrong key or damaged ciphertext');
  }
}

/**
 * `0x` + sha256 of the encrypted file: the checksum registered on chain.
 *
 * @example
 * const checksum = sha256Checksum(encrypted);
 */
export function sha256Checksum(data: Uint8Array): `0x${string}` {
  return `0x${createHash('sha256').update(data).digest('hex')}`;
}
