import { generateKeyPairSync } from 'node:crypto';
import type { ChainAccount } from '@confidant/local-chain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { web2SecretChallenge } from '../src/challenges.js';
import { RESULT_ENCRYPTION_PUBLIC_KEY_NAME } from '../src/resultEncryptionKey.js';
import { answer, type Harness, sign, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const path = (owner: string, name: string) => `/secrets/web2?ownerAddress=${owner}&secretName=${encodeURIComponent(name)}`;

async function push(method: 'POST' | 'PUT', name: string, value: string, options: { owner?: ChainAccount; signer?: ChainAccount } = {}) {
  const owner = options.owner ?? h.chain.accounts.requester;
  const authorization = await sign(options.signer ?? owner, web2SecretChallenge({ ownerAddress: owner.address, secretName: name, value }));
  return answer(await h.send(path(owner.address, name), { method, body: value, authorization }));
}
const head = async (name: string, owner = h.chain.accounts.requester) =>
  (await h.send(path(owner.address, name), { method: 'HEAD' })).status;

describe('/secrets/web2 (an account’s named secrets)', () => {
  it('creates (POST, once), then updates (PUT) a secret signed by its owner', async () => {
    expect(await head('api-token')).toBe(404);
    expect(await push('POST', 'api-token', 'first value')).toEqual({ status: 204 });
    expect(await head('api-token')).toBe(204);
    expect(await h.sms.readSecret('web2', h.chain.accounts.requester.address, 'api-token')).toBe('first value');

    expect(await push('POST', 'api-token', 'other')).toMatchObject({
      status: 409,
      error: { name: 'SecretExistsError', hints: ['Send PUT to the same URL to replace its value.'] },
    });
    expect(await push('PUT', 'api-token', 'second value')).toEqual({ status: 204 });
    expect(await h.sms.readSecret('web2', h.chain.accounts.requester.address, 'api-token')).toBe('second value');
  });

  it('refuses to update a secret that does not exist (404)', async () => {
    expect(await push('PUT', 'never-created', 'x')).toMatchObject({
      status: 404,
      error: {
        name: 'SecretNotFoundError',
        message: `web2 secret "never-created" of ${h.chain.accounts.requester.address.toLowerCase()} does not exist`,
      },
    });
    expect(await head('never-created')).toBe(404);
  });

  it('refuses a secret signed by another account than its owner (401), on create and update', async () => {
    const other = h.chain.accounts.publisher;
    expect(await push('POST', 'mine', 'x', { signer: other })).toMatchObject({ status: 401, error: { name: 'WrongSignerError' } });
    expect(await push('POST', 'mine', 'x')).toEqual({ status: 204 });
    expect(await push('PUT', 'mine', 'stolen', { signer: other })).toMatchObject({ status: 401 });
    expect(await h.sms.readSecret('web2', h.chain.accounts.requester.address, 'mine')).toBe('x');
  });

  it('folds the name’s case as iExec does: one secret for "Token" and "token"', async () => {
    expect(await push('POST', 'Mixed-Case', 'v')).toEqual({ status: 204 });
    expect(await head('mixed-case')).toBe(204);
    expect(await push('POST', 'mixed-case', 'w')).toMatchObject({ status: 409 });
  });

  it('refuses too large (413) and malformed (400) requests', async () => {
    expect(await push('POST', 'big', 'x'.repeat(4097))).toMatchObject({ status: 413 });
    expect(await push('POST', 'exactly-4096', 'é'.repeat(2048))).toEqual({ status: 204 });
    const authorization = await sign(
      h.chain.accounts.requester,
      web2SecretChallenge({ ownerAddress: h.chain.accounts.requester.address, secretName: 'n', value: 'v' }),
    );
    const post = async (target: string) => answer(await h.send(target, { method: 'POST', body: 'v', authorization }));
    expect(await post('/secrets/web2?secretName=n')).toMatchObject({
      status: 400,
      error: { message: 'the ownerAddress query parameter is missing' },
    });
    expect(await post(`/secrets/web2?ownerAddress=${h.chain.accounts.requester.address}`)).toMatchObject({
      status: 400,
      error: { message: 'the secretName query parameter is missing' },
    });
    expect(await post(`/secrets/web2?ownerAddress=${h.chain.accounts.requester.address}&secretName=`)).toMatchObject({ status: 400 });
    expect(await post(`/secrets/web2?ownerAddress=${h.chain.accounts.requester.address}&secretName=${'n'.repeat(257)}`)).toMatchObject({
      status: 400,
    });
    expect(await post('/secrets/web2?ownerAddress=0xnope&secretName=n')).toMatchObject({ status: 400 });
  });

  describe(`the result encryption key (${RESULT_ENCRYPTION_PUBLIC_KEY_NAME})`, () => {
    const pem = (modulusLength: number) =>
      generateKeyPairSync('rsa', {
        modulusLength,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
    const base64 = (text: string) => Buffer.from(text).toString('base64');

    it('accepts base64 of an RSA public key PEM, and replaces it', async () => {
      const owner = h.chain.accounts.dataOwner;
      const first = base64(pem(2048).publicKey);
      expect(await push('POST', RESULT_ENCRYPTION_PUBLIC_KEY_NAME, first, { owner })).toEqual({ status: 204 });
      expect(await h.sms.readSecret('web2', owner.address, RESULT_ENCRYPTION_PUBLIC_KEY_NAME)).toBe(first);
      const second = base64(pem(2048).publicKey);
      expect(await push('PUT', RESULT_ENCRYPTION_PUBLIC_KEY_NAME, second, { owner })).toEqual({ status: 204 });
      expect(await h.sms.readSecret('web2', owner.address, RESULT_ENCRYPTION_PUBLIC_KEY_NAME)).toBe(second);
    });

    it('refuses a key the enclave could not use, or a private key (400), and keeps the old one', async () => {
      const owner = h.chain.accounts.worker;
      const { publicKey, privateKey } = pem(1024);
      expect(await push('POST', RESULT_ENCRYPTION_PUBLIC_KEY_NAME, base64(publicKey), { owner })).toMatchObject({
        status: 400,
        error: { message: 'the result encryption key has 1024 bits, fewer than 2048' },
      });
      expect(await push('POST', RESULT_ENCRYPTION_PUBLIC_KEY_NAME, base64(privateKey), { owner })).toMatchObject({
        status: 400,
        error: { message: 'the result encryption key is a private key; it was not stored' },
      });
      expect(await push('POST', RESULT_ENCRYPTION_PUBLIC_KEY_NAME, pem(2048).publicKey, { owner })).toMatchObject({
        status: 400,
        error: { message: 'the result encryption key is not base64' },
      });
      expect(await head(RESULT_ENCRYPTION_PUBLIC_KEY_NAME, owner)).toBe(404);
    });
  });
});
