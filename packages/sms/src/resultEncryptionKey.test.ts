import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidSecretRequestError } from './errors.js';
import { checkResultEncryptionKey } from './resultEncryptionKey.js';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const rsa = (modulusLength: number) =>
  generateKeyPairSync('rsa', {
    modulusLength,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

function refusal(value: string): string {
  try {
    checkResultEncryptionKey(value);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSecretRequestError);
    return (error as InvalidSecretRequestError).shortMessage;
  }
  throw new RangeError('expected a refusal');
}

describe('checkResultEncryptionKey', () => {
  it('accepts base64 of an RSA public key PEM of 2048 bits or more', () => {
    expect(() => checkResultEncryptionKey(base64(rsa(2048).publicKey))).not.toThrow();
  });

  it('refuses what the enclave could not encrypt for, and private keys', () => {
    const { publicKey, privateKey } = rsa(1024);
    const ec = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    expect(refusal(rsa(2048).publicKey)).toBe('the result encryption key is not base64');
    expect(refusal(base64('hello'))).toBe('the result encryption key is not a PEM public key');
    expect(refusal(base64(privateKey))).toBe('the result encryption key is a private key; it was not stored');
    expect(refusal(base64(publicKey))).toBe('the result encryption key has 1024 bits, fewer than 2048');
    expect(refusal(base64(ec.publicKey))).toBe('the result encryption key is not an RSA key (it is ec)');
    expect(refusal(base64('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'))).toBe(
      'the result encryption key is not a readable PEM public key',
    );
  });
});
