import { fromBase64, toBase64 } from './bytes.js';
import { collect, decryptStream } from './cipher.js';
import type { CryptoProvider } from './crypto.js';
import { CorruptedDataError, ResultDecryptionError } from './errors.js';
import { type ResultPrivateKey, rsaDecryptRawJs, wrongKey } from './rsa.js';
import { unzip, type ZipLimits } from './zip.js';

// A task's encrypted result, as iExec's TDX post-compute writes it and our enclave does too: a
// DEFLATE ZIP holding `iexec_out.zip.aes` (16-byte IV || AES-256-CBC/PKCS#7 of the zip of
// IEXEC_OUT) and `aes-key.rsa` (the raw AES key wrapped with the beneficiary's RSA key, PKCS#1
// v1.5, as raw bytes). Older writers stored base64 text of the wrapped key, or wrapped the key's
// base64; entries may sit in a folder. All of these are read.

/** The entry of an encrypted result that holds the encrypted zip of IEXEC_OUT. */
export const ENCRYPTED_RESULT_FILE = 'iexec_out.zip.aes';
/** The entry of an encrypted result that holds the wrapped AES key. */
export const WRAPPED_KEY_FILE = 'aes-key.rsa';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const text = new TextDecoder();
const DAMAGED_HINT = 'Download the result again; if it keeps failing, it was not written by a Confidant or iExec worker.';

/** Bytes that are base64 text (how iExec writes the wrapped key) decoded; other bytes as they are. */
function unarmor(bytes: Uint8Array): Uint8Array {
  const compact = text.decode(bytes).replace(/\s+/g, '');
  return compact.length % 4 === 0 && BASE64.test(compact) ? fromBase64(compact) : bytes;
}

/** The entries of a result archive; a damaged one says so as a result, not as protected data. */
async function unzipResult(archive: Uint8Array, what: string, limits: ZipLimits | undefined): Promise<Map<string, Uint8Array>> {
  try {
    return await unzip(archive, limits);
  } catch (error) {
    if (error instanceof CorruptedDataError)
      throw new ResultDecryptionError(`${what} is not a readable ZIP archive (${error.reason})`, { hint: DAMAGED_HINT, cause: error });
    throw error;
  }
}

/** The two entries of an encrypted result, found at the archive's root or in a folder. */
function encryptedParts(files: Map<string, Uint8Array>): { encrypted: Uint8Array; wrappedKey: Uint8Array } | { missing: string } {
  const find = (name: string) => [...files].find(([path]) => path === name || path.endsWith(`/${name}`))?.[1];
  const encrypted = find(ENCRYPTED_RESULT_FILE);
  const wrappedKey = find(WRAPPED_KEY_FILE);
  if (encrypted && wrappedKey) return { encrypted, wrappedKey };
  if (encrypted || wrappedKey) return { missing: encrypted ? WRAPPED_KEY_FILE : ENCRYPTED_RESULT_FILE };
  return { missing: `${ENCRYPTED_RESULT_FILE} and ${WRAPPED_KEY_FILE}` };
}

/**
 * The AES key of an encrypted result, from the bytes of its `aes-key.rsa` (base64 text or raw):
 * RSAES-PKCS1-v1_5 decryption with the provider's raw RSA operation (OpenSSL in Node, JavaScript
 * elsewhere), the padding (00 02 PS 00 M) checked here with one error for every failure. Some iExec
 * versions wrapped the base64 of the key: both forms give the 32-byte key.
 *
 * @example
 * const aesKey = await unwrapResultKey(files.get('aes-key.rsa'), privateKeyPem, nodeCrypto);
 */
export async function unwrapResultKey(wrappedKey: Uint8Array, privateKey: ResultPrivateKey, crypto: CryptoProvider): Promise<Uint8Array> {
  const block = await (crypto.rsaDecryptRaw ?? rsaDecryptRawJs)(privateKey, unarmor(wrappedKey));
  try {
    const separator = block.indexOf(0, 2);
    if (block[0] !== 0 || block[1] !== 2 || separator < 10) throw wrongKey();
    const message = block.slice(separator + 1);
    if (message.length === 32) return message;
    const asText = text.decode(message);
    if (asText.length % 4 === 0 && BASE64.test(asText)) {
      const decoded = fromBase64(asText);
      if (decoded.length === 32) return decoded;
    }
    throw wrongKey();
  } finally {
    block.fill(0);
  }
}

async function decryptParts(
  parts: { encrypted: Uint8Array; wrappedKey: Uint8Array },
  privateKey: ResultPrivateKey,
  crypto: CryptoProvider,
): Promise<Uint8Array> {
  const aesKey = await unwrapResultKey(parts.wrappedKey, privateKey, crypto);
  const encrypted = unarmor(parts.encrypted);
  try {
    if (encrypted.length < 32 || encrypted.length % 16 !== 0)
      throw new ResultDecryptionError(`${ENCRYPTED_RESULT_FILE} is not IV + whole AES blocks`, { hint: DAMAGED_HINT });
    return await collect(decryptStream([encrypted], { key: toBase64(aesKey), crypto }));
  } catch (error) {
    if (error instanceof CorruptedDataError)
      throw new ResultDecryptionError(`${ENCRYPTED_RESULT_FILE} does not decrypt with the unwrapped key`, {
        hint: DAMAGED_HINT,
        cause: error,
      });
    throw error;
  } finally {
    aesKey.fill(0);
  }
}

/**
 * Reverses a task's result encryption for its beneficiary and returns the result's zip (the bytes
 * of IEXEC_OUT zipped). The archive's entries may be STORED or DEFLATE, at its root or in a folder;
 * `limits` bound what is inflated (default DEFAULT_UNZIP_LIMITS). With `nodeCrypto` RSA and AES run
 * in OpenSSL; with `webCrypto` (browsers) AES runs in WebCrypto and RSA in JavaScript.
 *
 * @example
 * const zip = await decryptResult(downloaded, { privateKey: readFileSync('beneficiary.pem', 'utf8'), crypto: nodeCrypto });
 */
export async function decryptResult(
  archive: Uint8Array,
  options: { privateKey: ResultPrivateKey; crypto: CryptoProvider; limits?: ZipLimits | undefined },
): Promise<Uint8Array> {
  const parts = encryptedParts(await unzipResult(archive, 'the result', options.limits));
  if ('missing' in parts)
    throw new ResultDecryptionError(`it has no ${parts.missing}; it may not be an encrypted result`, {
      hint: 'Read a result that is not encrypted with readResult or unzip.',
    });
  return decryptParts(parts, options.privateKey, options.crypto);
}

/**
 * The files of a task's result by path (folders end with `/`): an encrypted result is decrypted
 * with `privateKey` (a key, or a function that gives it, called only when the result is encrypted)
 * and its inner zip read; any other result archive is read as it is. Entries may be STORED or
 * DEFLATE; `limits` bound each archive (default DEFAULT_UNZIP_LIMITS).
 *
 * @example
 * const { files, encrypted } = await readResult(downloaded, { privateKey: pair.privateKey, crypto: webCrypto });
 * new TextDecoder().decode(files.get('result.txt'));
 */
export async function readResult(
  archive: Uint8Array,
  options: {
    crypto: CryptoProvider;
    privateKey?: ResultPrivateKey | (() => ResultPrivateKey | Promise<ResultPrivateKey>) | undefined;
    limits?: ZipLimits | undefined;
  },
): Promise<{ files: Map<string, Uint8Array>; encrypted: boolean }> {
  const outer = await unzipResult(archive, 'the result', options.limits);
  const parts = encryptedParts(outer);
  if ('missing' in parts) return { files: outer, encrypted: false };
  if (options.privateKey === undefined)
    throw new ResultDecryptionError('it is encrypted and no private key was given', {
      hint: 'Pass the private key whose public key was pushed to the SMS as the result encryption key.',
    });
  const privateKey = typeof options.privateKey === 'function' ? await options.privateKey() : options.privateKey;
  const inner = await decryptParts(parts, privateKey, options.crypto);
  return { files: await unzipResult(inner, 'the decrypted result', options.limits), encrypted: true };
}
