import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import type { Hex } from 'viem';
import { z } from 'zod';
import { SealedBoxError } from './errors.js';

/** Secrets sealed to an enclave: an ephemeral X25519 key, and AES-256-GCM under the shared secret. */
export type SealedBox = { ephemeralPublicKey: Hex; nonce: Hex; ciphertext: Hex };

const sealedBoxSchema = z.object({
  ephemeralPublicKey: z.string().regex(/^0x[0-9a-f]{64}$/i),
  nonce: z.string().regex(/^0x[0-9a-f]{24}$/i),
  ciphertext: z.string().regex(/^0x([0-9a-f]{2})+$/i),
});

// SPKI DER prefix of an X25519 public key; the 32 raw bytes follow.
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const INFO = Buffer.from('confidant-sms-session-v1');

const x25519PublicKey = (raw: Hex) =>
  createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, Buffer.from(raw.slice(2), 'hex')]), format: 'der', type: 'spki' });

function sessionKey(shared: Buffer, ephemeral: Hex, recipient: Hex, context: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', shared, Buffer.from(`${ephemeral}${recipient}`.toLowerCase()), Buffer.concat([INFO, Buffer.from(context)]), 32),
  );
}

/**
 * Seals bytes to an enclave's X25519 public key, bound to a context (e.g. the task id): only the
 * holder of the private key can open them, and only for that context.
 *
 * @example
 * const box = sealToEnclave(quote.encryptionPublicKey, JSON.stringify(secrets), taskId);
 */
export function sealToEnclave(recipientPublicKey: Hex, plaintext: Uint8Array | string, context: string): SealedBox {
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralRaw = `0x${ephemeral.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex')}` as Hex;
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: x25519PublicKey(recipientPublicKey) });
  } catch {
    throw new SealedBoxError('the enclave public key is not an X25519 key');
  }
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sessionKey(shared, ephemeralRaw, recipientPublicKey, context), nonce);
  const body = Buffer.concat([
    cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext) : plaintext),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return { ephemeralPublicKey: ephemeralRaw, nonce: `0x${nonce.toString('hex')}`, ciphertext: `0x${body.toString('hex')}` };
}

/**
 * Opens a sealed box inside the enclave.
 *
 * @example
 * const secrets = JSON.parse(new TextDecoder().decode(openSealedBox(keys, box, taskId)));
 */
export function openSealedBox(
  keys: { encryptionPublicKey: Hex; encryptionPrivateKey: Uint8Array },
  input: unknown,
  context: string,
): Uint8Array {
  const parsed = sealedBoxSchema.safeParse(input);
  if (!parsed.success) throw new SealedBoxError('it is not a sealed box');
  const box = parsed.data as SealedBox;
  try {
    const privateKey = createPrivateKey({ key: Buffer.from(keys.encryptionPrivateKey), format: 'der', type: 'pkcs8' });
    const shared = diffieHellman({ privateKey, publicKey: x25519PublicKey(box.ephemeralPublicKey) });
    const body = Buffer.from(box.ciphertext.slice(2), 'hex');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      sessionKey(shared, box.ephemeralPublicKey, keys.encryptionPublicKey, context),
      Buffer.from(box.nonce.slice(2), 'hex'),
    );
    decipher.setAuthTag(body.subarray(body.length - 16));
    return new Uint8Array(Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]));
  } catch {
    throw new SealedBoxError('it was sealed to another key or context, or damaged');
  }
}
