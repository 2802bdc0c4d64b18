import type { ChainAccount } from '@confidant/local-chain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requesterSecretChallenge } from '../src/challenges.js';
import { answer, type Harness, sign, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const path = (requester: string, key: string) => `/requesters/${requester}/secrets/${key}`;

async function push(key: string, value: string, signer?: ChainAccount) {
  const requester = h.chain.accounts.requester;
  const authorization = await sign(
    signer ?? requester,
    requesterSecretChallenge({ requesterAddress: requester.address, secretKey: key, value }),
  );
  return answer(await h.send(path(requester.address, key), { method: 'POST', body: value, authorization }));
}
const head = async (key: string) => (await h.send(path(h.chain.accounts.requester.address, key), { method: 'HEAD' })).status;

describe('/requesters/{requester}/secrets/{key}', () => {
  it('stores a requester secret once (immutable) and reports it with HEAD', async () => {
    expect(await head('api_key-1')).toBe(404);
    expect(await push('api_key-1', 'sk-123')).toEqual({ status: 204 });
    expect(await head('api_key-1')).toBe(204);
    expect(await h.sms.readSecret('requester', h.chain.accounts.requester.address, 'api_key-1')).toBe('sk-123');
    expect(await push('api_key-1', 'sk-456')).toMatchObject({
      status: 409,
      error: { name: 'SecretExistsError', hints: ['Secrets of this kind are immutable: use a new one (a new dataset, a new key name).'] },
    });
    // Keys are case-sensitive (iExec does not fold them).
    expect(await head('API_KEY-1')).toBe(404);
  });

  it('refuses a secret signed by another account (401)', async () => {
    expect(await push('other', 'v', h.chain.accounts.dataOwner)).toMatchObject({ status: 401, error: { name: 'WrongSignerError' } });
    expect(await head('other')).toBe(404);
  });

  it('refuses keys outside [A-Za-z0-9-_]{1,64}, bad addresses (400) and large secrets (413)', async () => {
    expect(await push('has.dot', 'v')).toMatchObject({
      status: 400,
      error: { message: 'the secret key is not valid ("has.dot")', hints: ['Use 1 to 64 characters from A-Z, a-z, 0-9, - and _.'] },
    });
    expect(await push('k'.repeat(65), 'v')).toMatchObject({ status: 400 });
    expect(await push('k'.repeat(64), 'v')).toEqual({ status: 204 });
    expect((await h.send(path(h.chain.accounts.requester.address, 'bad%20key'), { method: 'HEAD' })).status).toBe(400);
    expect(
      await answer(await h.send(path('0x123', 'k'), { method: 'POST', body: 'v', authorization: `0x${'11'.repeat(65)}` })),
    ).toMatchObject({ status: 400, error: { message: 'the requester address is not valid ("0x123")' } });
    expect(await push('large', 'v'.repeat(4097))).toMatchObject({ status: 413 });
  });
});
