import { constants, publicEncrypt, randomBytes } from 'node:crypto';
import { ResultDecryptionError, unwrapResultKey } from '@confidant/protected-data';
import { webCrypto } from '@confidant/protected-data/browser';
import { platformCrypto } from '@confidant/protected-data/platform';
import { describe, expect, it } from 'vitest';
import { generateResultKeyPair } from './resultKey.js';

describe('the result key pair', () => {
  it('unwraps what an enclave wraps with its public key (RSA PKCS#1 v1.5), and only with the right key', async () => {
    const pair = await generateResultKeyPair();
    const pem = Buffer.from(pair.publicKeyBase64, 'base64').toString();
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const aesKey = randomBytes(32);
    const wrapped = publicEncrypt({ key: pem, padding: constants.RSA_PKCS1_PADDING }, aesKey);
    // The SDK's crypto in Node (OpenSSL) and in browsers (JavaScript RSA).
    for (const crypto of [platformCrypto, webCrypto]) {
      expect(Buffer.from(await unwrapResultKey(wrapped, pair.privateKey, crypto)).equals(aesKey)).toBe(true);
      const other = await generateResultKeyPair();
      await expect(unwrapResultKey(wrapped, other.privateKey, crypto)).rejects.toThrow(ResultDecryptionError);
      await expect(unwrapResultKey(wrapped.subarray(1), pair.privateKey, crypto)).rejects.toThrow('is 255 bytes, not 256');
    }
  });
});
