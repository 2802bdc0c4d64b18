import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A value encrypted with AES-256-GCM: the ciphertext with its 16-byte tag appended, and its nonce. */
export type Sealed = { ciphertext: Uint8Array; nonce: Uint8Array };

const TAG_BYTES = 16;

/**
 * Encrypts a value under the master key with a fresh 12-byte nonce, binding `context` (the secret's
 * identity) as additional authenticated data: the result only opens with the same context.
 *
 * @example
 * const sealed = seal(masterKey, 'web3\0x…\0', new TextEncoder().encode(value));
 */
export function seal(key: Uint8Array, context: string, plaintext: Uint8Array): Sealed {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { ciphertext: new Uint8Array(body), nonce: new Uint8Array(nonce) };
}

/**
 * Decrypts what `seal` produced with the same key and context; undefined when the key, the context,
 * the nonce or the ciphertext differ (GCM's tag does not verify).
 *
 * @example
 * const plaintext = open(masterKey, context, row);
 */
export function open(key: Uint8Array, context: string, sealed: Sealed): Uint8Array | undefined {
  if (sealed.nonce.length !== 12 || sealed.ciphertext.length < TAG_BYTES) return undefined;
  const body = sealed.ciphertext.subarray(0, sealed.ciphertext.length - TAG_BYTES);
  const tag = sealed.ciphertext.subarray(sealed.ciphertext.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
  } catch {
    return undefined;
  }
}
