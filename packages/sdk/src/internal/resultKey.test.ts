import { constants, publicEncrypt, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { generateResultKeyPair, rsaPkcs1Decrypt } from './resultKey.js';

describe('the result key pair', () => {
  it('unwraps what an enclave wraps with its public key (RSA PKCS#1 v1.5), and only with the right key', async () => {
    const pair = await generateResultKeyPair();
    const pem = Buffer.from(pair.publicKeyBase64, 'base64').toString();
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const aesKey = randomBytes(32);
    const wrapped = publicEncrypt({ key: pem, padding: constants.RSA_PKCS1_PADDING }, aesKey);
    expect(Buffer.from(rsaPkcs1Decrypt(pair.privateKey, wrapped)).equals(aesKey)).toBe(true);
    const other = await generateResultKeyPair();
    expect(() => rsaPkcs1Decrypt(other.privateKey, wrapped)).toThrow(InvalidArgumentError);
    expect(() => rsaPkcs1Decrypt(pair.privateKey, wrapped.subarray(1))).toThrow('is 255 bytes, not 256');
  });
});
