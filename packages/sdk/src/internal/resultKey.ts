import { fromBase64, toBase64 } from '@confidant/protected-data';
import type { ConfidantClient } from '../client.js';
import { InvalidArgumentError } from '../errors.js';

/** The web2 secret under which the SMS keeps a beneficiary's result-encryption public key. */
export const RESULT_ENCRYPTION_KEY_NAME = 'iexec-result-encryption-public-key';

/** The fields of an RSA private JWK this SDK reads (structurally a WebCrypto JsonWebKey). */
export type JsonWebKeyLike = { kty?: string; n?: string; e?: string; d?: string; [field: string]: unknown };

/** A beneficiary's RSA key pair for results: the public half goes to the SMS, the private one stays here. */
export type ResultKeyPair = {
  /** base64 of the SPKI PEM: the SMS's format. */
  publicKeyBase64: string;
  /** The private key as a JWK (n, d…), for decrypting PKCS#1 v1.5 blocks. */
  privateKey: JsonWebKeyLike;
};

const pem = (label: string, der: Uint8Array) => `-----BEGIN ${label}-----\n${toBase64(der).replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;

/**
 * A fresh 2048-bit RSA key pair, made with WebCrypto (in browsers and Node alike).
 *
 * @example
 * const key = await generateResultKeyPair();
 */
export async function generateResultKeyPair(): Promise<ResultKeyPair> {
  const pair = await globalThis.crypto.subtle.generateKey({ name: 'RSA-OAEP', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' }, true, ['encrypt', 'decrypt']);
  const spki = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', pair.publicKey));
  const privateKey = await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey);
  return { publicKeyBase64: toBase64(new TextEncoder().encode(pem('PUBLIC KEY', spki))), privateKey: privateKey as JsonWebKeyLike };
}

const keys = new WeakMap<ConfidantClient, Promise<ResultKeyPair>>();

/** The client's result key pair: made once per client, so concurrent runs share one public key. */
export function resultKeyOf(client: ConfidantClient): Promise<ResultKeyPair> {
  let pair = keys.get(client);
  if (!pair) {
    pair = generateResultKeyPair();
    keys.set(client, pair);
  }
  return pair;
}

/** Uses a given key pair for this client's runs (e.g. one kept from an earlier session). */
export function useResultKeyPair(client: ConfidantClient, pair: ResultKeyPair): void {
  keys.set(client, Promise.resolve(pair));
}

function bigintOf(base64url: string | undefined, name: string): bigint {
  if (!base64url) throw new InvalidArgumentError('privateKey', `has no "${name}"`, 'Pass the JWK of an RSA private key.');
  const bytes = fromBase64(base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '='));
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

/**
 * RSAES-PKCS1-v1_5 decryption of one block (what wraps a result's AES key). WebCrypto offers only
 * OAEP, and Node refuses PKCS#1 v1.5 private decryption since the Marvin fix, so it is done here:
 * these are our own results, decrypted locally, so no padding oracle is exposed.
 */
export function rsaPkcs1Decrypt(privateKey: JsonWebKeyLike, ciphertext: Uint8Array): Uint8Array {
  const n = bigintOf(privateKey.n, 'n');
  const d = bigintOf(privateKey.d, 'd');
  const size = Math.ceil(n.toString(16).length / 2);
  if (ciphertext.length !== size) throw new InvalidArgumentError('the wrapped result key', `is ${ciphertext.length} bytes, not ${size}`, 'The result was encrypted for another key.');
  let c = 0n;
  for (const byte of ciphertext) c = (c << 8n) | BigInt(byte);
  let m = modPow(c, d, n);
  const block = new Uint8Array(size);
  for (let i = size - 1; i >= 0; i--, m >>= 8n) block[i] = Number(m & 0xffn);
  const separator = block.indexOf(0, 2);
  if (block[0] !== 0 || block[1] !== 2 || separator < 10) throw new InvalidArgumentError('the wrapped result key', 'does not decrypt with this key', 'The result was encrypted for another key: use the key pair the run pushed to the SMS.');
  return block.slice(separator + 1);
}
