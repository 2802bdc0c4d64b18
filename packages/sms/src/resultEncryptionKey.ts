import { createPublicKey } from 'node:crypto';
import { InvalidSecretRequestError } from './errors.js';
import { base64Schema } from './inputs.js';

/** The web2 secret holding a beneficiary's RSA public key (base64 of its PEM), which results are encrypted for. */
export const RESULT_ENCRYPTION_PUBLIC_KEY_NAME = 'iexec-result-encryption-public-key';

const MIN_MODULUS_BITS = 2048;
const HINT = 'Send base64 of the PEM of an RSA public key of at least 2048 bits (SPKI, "-----BEGIN PUBLIC KEY-----").';

/**
 * Refuses a result encryption key that the enclave could not use: not base64, not a PEM public key,
 * not RSA, or under 2048 bits. A private key is refused too, before it is stored anywhere.
 *
 * @example
 * checkResultEncryptionKey(Buffer.from(publicKeyPem).toString('base64'));
 */
export function checkResultEncryptionKey(value: string): void {
  if (!base64Schema.safeParse(value).success) throw new InvalidSecretRequestError('the result encryption key is not base64', HINT);
  const pem = Buffer.from(value, 'base64').toString('utf8');
  if (/PRIVATE KEY/.test(pem)) {
    throw new InvalidSecretRequestError(
      'the result encryption key is a private key; it was not stored',
      'Keep the private key to yourself and push its public key only.',
    );
  }
  if (!/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem))
    throw new InvalidSecretRequestError('the result encryption key is not a PEM public key', HINT);
  let key: ReturnType<typeof createPublicKey>;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new InvalidSecretRequestError('the result encryption key is not a readable PEM public key', HINT);
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new InvalidSecretRequestError(`the result encryption key is not an RSA key (it is ${key.asymmetricKeyType ?? 'unknown'})`, HINT);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_MODULUS_BITS)
    throw new InvalidSecretRequestError(`the result encryption key has ${bits} bits, fewer than ${MIN_MODULUS_BITS}`, HINT);
}
