import { transferApp } from '@confidant/contracts';
import type { ChainAccount } from '@confidant/local-chain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSecretChallenge } from '../src/challenges.js';
import { answer, type Harness, sign, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const path = (app: string) => `/apps/${app}/secrets`;

async function push(app: `0x${string}`, value: string, signer: ChainAccount = h.chain.accounts.publisher) {
  const authorization = await sign(signer, appSecretChallenge({ appAddress: app, value }));
  return answer(await h.send(path(app), { method: 'POST', body: value, authorization }));
}
const head = async (app: string) => (await h.send(path(app), { method: 'HEAD' })).status;

describe('/apps/{app}/secrets (the app developer secret)', () => {
  it('stores the secret pushed by the app owner, once', async () => {
    const app = await h.createApp();
    expect(await head(app)).toBe(404);
    expect(await push(app, 'developer secret')).toEqual({ status: 204 });
    expect(await head(app)).toBe(204);
    expect(await h.sms.readSecret('app', app)).toBe('developer secret');
    expect(await push(app, 'another')).toMatchObject({
      status: 409,
      error: { message: `the developer secret of app ${app.toLowerCase()} is already set and cannot be pushed again` },
    });
  });

  it('refuses another signer, and follows a transfer of the app (401)', async () => {
    const app = await h.createApp();
    expect(await push(app, 'x', h.chain.accounts.requester)).toMatchObject({ status: 401, error: { name: 'WrongSignerError' } });
    await transferApp(h.chain.client('publisher'), { app, to: h.chain.accounts.requester.address });
    expect(await push(app, 'x', h.chain.accounts.publisher)).toMatchObject({ status: 401 });
    expect(await push(app, 'x', h.chain.accounts.requester)).toEqual({ status: 204 });
  });

  it('refuses an unregistered app (401), a dataset address, a bad address (400), a large secret (413)', async () => {
    const nowhere = '0x000000000000000000000000000000000000beef';
    expect(await push(nowhere, 'x')).toMatchObject({
      status: 401,
      error: { name: 'UnknownAssetError', message: `app ${nowhere} is not registered on this network, so nobody can set its secret` },
    });
    const dataset = await h.createDataset(h.chain.accounts.publisher);
    expect(await push(dataset, 'x')).toMatchObject({ status: 401, error: { name: 'UnknownAssetError' } });
    expect((await h.send(path('0xabc'), { method: 'HEAD' })).status).toBe(400);
    const app = await h.createApp();
    expect(await push(app, 'x'.repeat(4097))).toMatchObject({ status: 413 });
    expect(await head(app)).toBe(404);
  });
});
