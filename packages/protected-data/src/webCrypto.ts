import { sha256 } from '@noble/hashes/sha2';
import { crc32 } from './crc32.js';
import type { CipherStream, CryptoProvider } from './crypto.js';
import { CorruptedDataError } from './errors.js';
import { rsaDecryptRawJs } from './rsa.js';

const BLOCK = 16;
/** A whole block of PKCS#7 padding: what CBC appends after data that ends on a block boundary. */
const PADDING_BLOCK = new Uint8Array(BLOCK).fill(BLOCK);

// Types from the values, not the DOM library's names: Node-only projects type-check this file too.
function subtle(): typeof globalThis.crypto.subtle {
  const found = globalThis.crypto?.subtle;
  if (!found) throw new CorruptedDataError('WebCrypto is not available here (a browser needs a secure context: https or localhost)');
  return found;
}

function importKey(key: Uint8Array) {
  return subtle().importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-CBC', false, ['encrypt', 'decrypt']);
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

async function encryptBlocks(key: Awaited<ReturnType<typeof importKey>>, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(
    await subtle().encrypt({ name: 'AES-CBC', iv: iv as Uint8Array<ArrayBuffer> }, key, data as Uint8Array<ArrayBuffer>),
  );
}

/**
 * WebCrypto has no streaming cipher, but CBC chains through its last ciphertext block: each call
 * encrypts whole blocks with the previous block as IV, and the padding block WebCrypto adds to
 * every call but the last is dropped.
 */
function createEncryptor(rawKey: Uint8Array, iv: Uint8Array): CipherStream {
  const key = importKey(rawKey);
  let previous = iv;
  let pending: Uint8Array = new Uint8Array(0);
  return {
    async update(chunk) {
      const data = join(pending, chunk);
      const whole = data.length - (data.length % BLOCK);
      pending = data.slice(whole);
      if (whole === 0) return new Uint8Array(0);
      const out = (await encryptBlocks(await key, previous, data.subarray(0, whole))).subarray(0, whole);
      previous = out.slice(whole - BLOCK);
      return out;
    },
    async final() {
      return encryptBlocks(await key, previous, pending);
    },
  };
}

/**
 * Decryption chains the same way; WebCrypto insists on valid padding at the end of every call,
 * so each call but the last gets one extra block that decrypts to a whole padding block
 * (E(PADDING ⊕ last ciphertext block)), which WebCrypto then strips.
 */
function createDecryptor(rawKey: Uint8Array, iv: Uint8Array): CipherStream {
  const key = importKey(rawKey);
  let previous = iv;
  let pending: Uint8Array = new Uint8Array(0);
  const fail = () => new CorruptedDataError('decryption failed: wrong key or damaged ciphertext');
  return {
    async update(chunk) {
      const data = join(pending, chunk);
      // The last whole block may be the padded one: keep it for `final` unless more bytes must follow.
      let whole = data.length - (data.length % BLOCK);
      if (data.length % BLOCK === 0) whole -= BLOCK;
      if (whole <= 0) {
        pending = data;
        return new Uint8Array(0);
      }
      pending = data.slice(whole);
      const blocks = data.subarray(0, whole);
      const last = blocks.subarray(whole - BLOCK);
      const k = await key;
      const extra = (await encryptBlocks(k, last, PADDING_BLOCK)).subarray(0, BLOCK);
      try {
        const out = new Uint8Array(
          await subtle().decrypt(
            { name: 'AES-CBC', iv: previous as Uint8Array<ArrayBuffer> },
            k,
            join(blocks, extra) as Uint8Array<ArrayBuffer>,
          ),
        );
        previous = last.slice();
        return out;
      } catch {
        throw fail();
      }
    },
    async final() {
      if (pending.length !== BLOCK) throw new CorruptedDataError('the ciphertext is not IV + whole AES blocks');
      try {
        return new Uint8Array(
          await subtle().decrypt(
            { name: 'AES-CBC', iv: previous as Uint8Array<ArrayBuffer> },
            await key,
            pending as Uint8Array<ArrayBuffer>,
          ),
        );
      } catch {
        throw fail();
      }
    },
  };
}

/**
 * The primitives in a browser: WebCrypto for AES and random bytes, JavaScript for SHA-256 (WebCrypto
 * cannot hash a stream), CRC-32 and the RSA operation that unwraps a result's key (WebCrypto has
 * no PKCS#1 v1.5 encryption). Imports nothing from Node.
 *
 * @example
 * const protectedData = await protect(data, { crypto: webCrypto });
 */
export const webCrypto: CryptoProvider = {
  randomBytes(length) {
    const out = new Uint8Array(length);
    globalThis.crypto.getRandomValues(out);
    return out;
  },
  createEncryptor,
  createDecryptor,
  createSha256() {
    const hash = sha256.create();
    return { update: (chunk) => void hash.update(chunk), digest: () => hash.digest() };
  },
  crc32,
  rsaDecryptRaw: rsaDecryptRawJs,
};
