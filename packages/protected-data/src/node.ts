import { openAsBlob } from 'node:fs';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { keyFromBase64 } from './bytes.js';
import { CorruptedDataError } from './errors.js';
import { type ArchiveReader, blobSource, openArchive, type ReaderMode } from './reader.js';

export { nodeCrypto } from './nodeCrypto.js';

/**
 * A fresh AES-256 key, base64 (how DataProtector and the SMS carry it).
 *
 * @example
 * const key = generateEncryptionKey();
 */
export function generateEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

/**
 * IV (16 random bytes, or the given one) followed by AES-256-CBC/PKCS#7 ciphertext, in memory.
 *
 * @example
 * const encrypted = encryptAes256Cbc(zip, key);
 */
export function encryptAes256Cbc(data: Uint8Array, keyBase64: string, iv: Uint8Array = randomBytes(16)): Uint8Array {
  const cipher = createCipheriv('aes-256-cbc', keyFromBase64(keyBase64), iv);
  return new Uint8Array(Buffer.concat([iv, cipher.update(data), cipher.final()]));
}

/**
 * The plaintext of IV || AES-256-CBC ciphertext in memory; a wrong key or damaged bytes give CorruptedDataError.
 *
 * @example
 * const zip = decryptAes256Cbc(encrypted, key);
 */
export function decryptAes256Cbc(encrypted: Uint8Array, keyBase64: string): Uint8Array {
  if (encrypted.length < 32 || (encrypted.length - 16) % 16 !== 0)
    throw new CorruptedDataError('the ciphertext is not IV + whole AES blocks');
  const decipher = createDecipheriv('aes-256-cbc', keyFromBase64(keyBase64), encrypted.subarray(0, 16));
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

/**
 * A file on disk as a leaf of the data to protect, streamed rather than loaded.
 *
 * @example
 * const protectedData = await protect({ scan: await fileLeaf('scan.pdf') }, { crypto: nodeCrypto });
 */
export function fileLeaf(path: string): Promise<Blob> {
  return openAsBlob(path);
}

/**
 * Opens a decrypted protected data archive on disk; reads only its directory and the entries asked for.
 *
 * @example
 * const archive = await openArchiveFile(join(iexecIn, datasetFilename));
 */
export async function openArchiveFile(path: string, options: { mode?: ReaderMode } = {}): Promise<ArchiveReader> {
  return openArchive(blobSource(await openAsBlob(path)), options);
}
