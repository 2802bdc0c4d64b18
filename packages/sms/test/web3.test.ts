import { transferDataset } from '@confidant/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { web3SecretChallenge } from '../src/challenges.js';
import { answer, type Harness, randomKey, sign, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const path = (dataset: string) => `/secrets/web3?secretAddress=${dataset}`;

async function push(dataset: `0x${string}`, value: string, signer = h.chain.accounts.dataOwner) {
  const authorization = await sign(signer, web3SecretChallenge({ secretAddress: dataset, value }));
  return answer(await h.send(path(dataset), { method: 'POST', body: value, authorization }));
}

describe('POST /secrets/web3 (a dataset key)', () => {
  it('stores the key pushed by the dataset owner, once', async () => {
    const dataset = await h.createDataset();
    const key = randomKey();
    expect((await h.send(path(dataset), { method: 'HEAD' })).status).toBe(404);
    expect(await push(dataset, key)).toEqual({ status: 204 });
    expect((await h.send(path(dataset), { method: 'HEAD' })).status).toBe(204);
    expect((await h.send(path(dataset.toLowerCase()), { method: 'HEAD' })).status).toBe(204);
    expect(await h.sms.readSecret('web3', dataset)).toBe(key);

    const again = await push(dataset, randomKey());
    expect(again.status).toBe(409);
    expect(again.error).toMatchObject({
      name: 'SecretExistsError',
      message: `the key of dataset ${dataset.toLowerCase()} is already set and cannot be pushed again`,
    });
    expect(await h.sms.readSecret('web3', dataset)).toBe(key);
  });

  it('refuses a key signed by anyone but the owner (401), saying who may', async () => {
    const dataset = await h.createDataset();
    const refused = await push(dataset, randomKey(), h.chain.accounts.requester);
    expect(refused.status).toBe(401);
    expect(refused.error?.name).toBe('WrongSignerError');
    expect(refused.error?.message).toBe(
      `the challenge was signed by ${h.chain.accounts.requester.address}, but only ${h.chain.accounts.dataOwner.address} may set the key of dataset ${dataset.toLowerCase()}`,
    );
    expect(refused.error?.hints?.[0]).toMatch(/^Sign the challenge of exactly this request/);
    // A signature of another value is a signature of someone else.
    const authorization = await sign(h.chain.accounts.dataOwner, web3SecretChallenge({ secretAddress: dataset, value: randomKey() }));
    expect((await answer(await h.send(path(dataset), { method: 'POST', body: randomKey(), authorization }))).status).toBe(401);
    expect((await h.send(path(dataset), { method: 'HEAD' })).status).toBe(404);
  });

  it('says plainly that an unregistered dataset has no owner to sign (401)', async () => {
    const nowhere = '0x000000000000000000000000000000000000dead';
    const refused = await push(nowhere, randomKey());
    expect(refused).toMatchObject({
      status: 401,
      error: { name: 'UnknownAssetError', message: `dataset ${nowhere} is not registered on this network, so nobody can set its secret` },
    });
  });

  it('refuses a body over 4096 bytes (413) and keeps nothing', async () => {
    const dataset = await h.createDataset();
    const refused = await push(dataset, 'A'.repeat(5000));
    expect(refused).toMatchObject({ status: 413, error: { name: 'SecretTooLargeError', message: 'the secret is larger than 4096 bytes' } });
    expect((await h.send(path(dataset), { method: 'HEAD' })).status).toBe(404);
  });

  it('refuses malformed requests (400): address, signature, body', async () => {
    const dataset = await h.createDataset();
    const key = randomKey();
    const authorization = await sign(h.chain.accounts.dataOwner, web3SecretChallenge({ secretAddress: dataset, value: key }));
    const post = async (target: string, body: string, auth: string | undefined) =>
      answer(await h.send(target, { method: 'POST', body, authorization: auth }));

    expect(await post('/secrets/web3?secretAddress=0x1234', key, authorization)).toMatchObject({
      status: 400,
      error: { message: 'the secretAddress query parameter is not valid ("0x1234")' },
    });
    expect(await post('/secrets/web3', key, authorization)).toMatchObject({
      status: 400,
      error: { message: 'the secretAddress query parameter is missing' },
    });
    expect((await h.send('/secrets/web3?secretAddress=nope', { method: 'HEAD' })).status).toBe(400);

    const short = await post(path(dataset), key, authorization.slice(0, -2));
    expect(short).toMatchObject({
      status: 400,
      error: { name: 'InvalidSecretRequestError', message: 'the Authorization header is not valid' },
    });
    expect(await post(path(dataset), key, `0x${'zz'.repeat(65)}`)).toMatchObject({ status: 400 });
    // 65 bytes of hex that are no signature (v = 0x05).
    expect(await post(path(dataset), key, `0x${'11'.repeat(64)}05`)).toMatchObject({
      status: 400,
      error: { message: 'the Authorization header is not a valid secp256k1 signature' },
    });
    expect(await post(path(dataset), key, undefined)).toMatchObject({ status: 401, error: { name: 'MissingAuthorizationError' } });

    expect(await post(path(dataset), '', authorization)).toMatchObject({
      status: 400,
      error: { message: 'the request has no secret: its body is empty' },
    });
    const notBase64 = 'not base64!';
    const signedNotBase64 = await sign(h.chain.accounts.dataOwner, web3SecretChallenge({ secretAddress: dataset, value: notBase64 }));
    expect(await post(path(dataset), notBase64, signedNotBase64)).toMatchObject({
      status: 400,
      error: { message: 'the dataset key is not base64' },
    });
    const invalidUtf8 = await h.send(path(dataset), { method: 'POST', body: new Uint8Array([0xff, 0xfe, 0x41]), authorization });
    expect(await answer(invalidUtf8)).toMatchObject({ status: 400, error: { message: 'the secret is not UTF-8 text' } });

    expect((await h.send(path(dataset), { method: 'HEAD' })).status).toBe(404);
    expect(await post(path(dataset), key, authorization)).toEqual({ status: 204 });
  });

  it('after a transfer of the dataset, accepts its new owner and refuses the old one', async () => {
    const dataset = await h.createDataset();
    await transferDataset(h.chain.client('dataOwner'), { dataset, to: h.chain.accounts.requester.address });
    expect((await push(dataset, randomKey(), h.chain.accounts.dataOwner)).status).toBe(401);
    const key = randomKey();
    expect(await push(dataset, key, h.chain.accounts.requester)).toEqual({ status: 204 });
    expect(await h.sms.readSecret('web3', dataset)).toBe(key);
  });
});
