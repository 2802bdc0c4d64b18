import { type RsaPrivateJwk, toBase64 } from '@confidant/protected-data';
import type { ConfidantClient } from '../client.js';

/** The web2 secret under which the SMS keeps a beneficiary's result-encryption public key. */
export const RESULT_ENCRYPTION_KEY_NAME = 'iexec-result-encryption-public-key';

/** The fields of an RSA private JWK this SDK reads (structurally a WebCrypto JsonWebKey). */
export type JsonWebKeyLike = RsaPrivateJwk;

/** A beneficiary's RSA key pair for results: the public half goes to the SMS, the private one stays here. */
export type ResultKeyPair = {
  /** base64 of the SPKI PEM: the SMS's format. */
  publicKeyBase64: string;
  /** The private key as a JWK (n, d…), for unwrapping results' keys (readResult of @confidant/protected-data). */
  privateKey: JsonWebKeyLike;
};

const pem = (label: string, der: Uint8Array) =>
  `-----BEGIN ${label}-----\n${toBase64(der)
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END ${label}-----\n`;

/**
 * A fresh 2048-bit RSA key pair, made with WebCrypto (in browsers and Node alike).
 *
 * @example
 * const key = await generateResultKeyPair();
 */
export async function generateResultKeyPair(): Promise<ResultKeyPair> {
  const pair = await globalThis.crypto.subtle.generateKey(
    { name: 'RSA-OAEP', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' },
    true,
    ['encrypt', 'decrypt'],
  );
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
