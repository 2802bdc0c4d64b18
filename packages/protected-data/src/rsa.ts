import { fromBase64 } from './bytes.js';
import { ResultDecryptionError } from './errors.js';

/** The fields of an RSA private JWK that are read (structurally a WebCrypto JsonWebKey). */
export type RsaPrivateJwk = { kty?: string; n?: string; e?: string; d?: string; [field: string]: unknown };

/**
 * A beneficiary's RSA private key for results: a PEM (PKCS#8 `PRIVATE KEY`; Node also reads
 * PKCS#1 `RSA PRIVATE KEY`), or a JWK as WebCrypto exports it.
 */
export type ResultPrivateKey = string | RsaPrivateJwk;

const OTHER_KEY_HINT = 'The result was encrypted for another key: use the key pair whose public key the run pushed to the SMS.';

/** The one answer to a wrapped key that does not open: which check failed is not told (no padding oracle). */
export const wrongKey = () =>
  new ResultDecryptionError('the wrapped AES key does not open with this private key', { hint: OTHER_KEY_HINT });

/** A ciphertext block must be exactly as long as the modulus. */
export function checkBlockLength(block: Uint8Array, modulusBytes: number): void {
  if (block.length !== modulusBytes)
    throw new ResultDecryptionError(`the wrapped AES key is ${block.length} bytes, not ${modulusBytes}`, { hint: OTHER_KEY_HINT });
}

const notAKey = (hint = 'Pass the RSA private key as a PKCS#8 PEM or as a JWK (what generateResultKeyPair makes).') =>
  new ResultDecryptionError('the private key is not an RSA private key', { hint });

function bigintOf(base64url: unknown): bigint {
  if (typeof base64url !== 'string' || base64url.length === 0) throw notAKey();
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(
      base64url
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(base64url.length / 4) * 4, '='),
    );
  } catch {
    throw notAKey();
  }
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** A PKCS#8 PEM as a JWK, through WebCrypto (which reads no PKCS#1 PEM). */
async function jwkOfPem(pem: string): Promise<RsaPrivateJwk> {
  if (pem.includes('-----BEGIN RSA PRIVATE KEY-----')) {
    throw notAKey('This is a PKCS#1 PEM: convert it to PKCS#8 (`openssl pkcs8 -topk8 -nocrypt -in key.pem`), or pass its JWK.');
  }
  const body = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/.exec(pem)?.[1]?.replace(/\s+/g, '');
  const subtle = globalThis.crypto?.subtle;
  if (!body || !subtle) throw notAKey();
  try {
    const key = await subtle.importKey('pkcs8', fromBase64(body) as Uint8Array<ArrayBuffer>, { name: 'RSA-OAEP', hash: 'SHA-256' }, true, [
      'decrypt',
    ]);
    return (await subtle.exportKey('jwk', key)) as RsaPrivateJwk;
  } catch {
    throw notAKey();
  }
}

/**
 * The raw RSA private-key operation (c^d mod n) in JavaScript, for where no native one takes a
 * PKCS#1 v1.5 block: WebCrypto offers only OAEP. The block comes back as long as the modulus; the
 * caller checks its padding. Results are decrypted by their holder, locally: no padding oracle.
 *
 * @example
 * const block = await rsaDecryptRawJs(privateJwk, wrappedKey);
 */
export async function rsaDecryptRawJs(privateKey: ResultPrivateKey, ciphertext: Uint8Array): Promise<Uint8Array> {
  const jwk = typeof privateKey === 'string' ? await jwkOfPem(privateKey) : privateKey;
  if (jwk.kty !== undefined && jwk.kty !== 'RSA') throw notAKey();
  const n = bigintOf(jwk.n);
  const d = bigintOf(jwk.d);
  const size = Math.ceil(n.toString(16).length / 2);
  checkBlockLength(ciphertext, size);
  let c = 0n;
  for (const byte of ciphertext) c = (c << 8n) | BigInt(byte);
  if (c >= n) throw wrongKey();
  let m = modPow(c, d, n);
  const block = new Uint8Array(size);
  for (let i = size - 1; i >= 0; i--, m >>= 8n) block[i] = Number(m & 0xffn);
  return block;
}
