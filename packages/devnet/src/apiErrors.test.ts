import { AssetNotFoundError, buildDatasetOrder, createDataset, type PocoWalletClient, signOrder, TDX_TAG } from '@confidant/contracts';
import {
  ApiRequestError,
  createApiClient,
  InvalidInputError,
  NotIndexedError,
  NotOwnerError,
  SignInRefusedError,
  SignInRequiredError,
  signInMessage,
} from '@confidant/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Devnet, startDevnet } from './startDevnet.js';

// The SDK's API client against the real API: a refusal arrives as the class the API threw, with its
// fields, and the HTTP call that carried it as its cause.

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet();
}, 60_000);
afterAll(() => devnet?.stop());

const unknownAddress = `0x${'ab'.repeat(20)}` as const;

/** The error a call rejects with. */
const refusal = (call: Promise<unknown>) =>
  call.then(
    () => expect.unreachable('the call should have been refused'),
    (error: unknown) => error,
  );

/** A session token for a named account, through the SDK's SIWE message. */
async function tokenOf(role: 'publisher' | 'dataOwner') {
  const api = createApiClient(devnet.api.url);
  const account = devnet.chain.accounts[role];
  const message = await signInMessage(api, account.address);
  return (await api.auth.verify.mutate({ message, signature: await account.account.signMessage({ message }) })).token;
}

describe('API errors across the wire', () => {
  it('rebuilds "not indexed" with its fields, the procedure and the HTTP status', async () => {
    const error = await refusal(createApiClient(devnet.api.url).apps.get.query({ address: unknownAddress }));
    expect(error).toBeInstanceOf(NotIndexedError);
    const notIndexed = error as NotIndexedError;
    expect(notIndexed.fields).toEqual({ what: 'app', id: unknownAddress });
    expect(notIndexed.kind).toBe('not-found');
    expect(notIndexed.message).toMatchInlineSnapshot(`
      "app 0xabababababababababababababababababababab is not known to the marketplace

      Details: API call apps.get

      → Check the id and the network. Something created moments ago appears once the indexer reaches its block."
    `);
    const request = notIndexed.walk((e) => e instanceof ApiRequestError) as ApiRequestError;
    expect(request).toMatchObject({ procedure: 'apps.get', httpStatus: 404, reason: 'refused', errorName: 'NotIndexedError' });
  });

  it('rebuilds invalid input with every refused field', async () => {
    const error = await refusal(createApiClient(devnet.api.url).apps.get.query({ address: '0x12' as `0x${string}` }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).fields.issues).toEqual([{ path: 'address', message: 'must be a 0x-prefixed 20-byte hex address' }]);
    expect((error as InvalidInputError).message).toMatchInlineSnapshot(`
      "address: must be a 0x-prefixed 20-byte hex address

      Details: API call apps.get

      → Fix the fields named in the message."
    `);
  });

  it('rebuilds the sign-in refusals', async () => {
    const api = createApiClient(devnet.api.url);
    const required = await refusal(api.protectedData.registerSchema.mutate({ address: unknownAddress, schema: { email: 'string' } }));
    expect(required).toBeInstanceOf(SignInRequiredError);
    expect((required as SignInRequiredError).fields).toEqual({ action: 'protectedData.registerSchema' });
    expect((required as SignInRequiredError).shortMessage).toMatchInlineSnapshot(`"protectedData.registerSchema needs you to sign in"`);

    const message = await signInMessage(api, devnet.chain.accounts.dataOwner.address);
    const signature = await devnet.chain.accounts.publisher.account.signMessage({ message });
    const refused = await refusal(api.auth.verify.mutate({ message, signature }));
    expect(refused).toBeInstanceOf(SignInRefusedError);
    expect((refused as SignInRefusedError).shortMessage).toBe(
      `sign-in refused: the signature is not from ${devnet.chain.accounts.dataOwner.address}`,
    );
  });

  it("rebuilds the chain's refusals and the owner check", async () => {
    const owner = devnet.chain.client('dataOwner') as PocoWalletClient;
    const { address: dataset } = await createDataset(owner, {
      name: 'errors',
      multiaddr: '/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o',
      checksum: `0x${'11'.repeat(32)}`,
    });
    await devnet.api.indexer.waitForBlock(await owner.publicClient.getBlockNumber());
    const signed = await signOrder(owner, { kind: 'dataset', order: buildDatasetOrder({ dataset: unknownAddress, tag: TDX_TAG }) });
    const unknownAsset = await refusal(createApiClient(devnet.api.url).orders.publish.mutate({ kind: 'dataset', order: signed }));
    expect(unknownAsset).toBeInstanceOf(AssetNotFoundError);
    expect((unknownAsset as AssetNotFoundError).fields).toEqual({ assetKind: 'dataset', asset: unknownAddress });

    const publisher = createApiClient(devnet.api.url);
    publisher.setToken(await tokenOf('publisher'));
    const notOwner = await refusal(publisher.protectedData.registerSchema.mutate({ address: dataset, schema: { email: 'string' } }));
    expect(notOwner).toBeInstanceOf(NotOwnerError);
    expect((notOwner as NotOwnerError).fields).toMatchObject({
      what: 'protected data',
      signedIn: devnet.chain.accounts.publisher.address.toLowerCase(),
    });
    expect((notOwner as NotOwnerError).hints).toEqual([`Sign in with ${(notOwner as NotOwnerError).fields.owner}.`]);
    const dataOwner = createApiClient(devnet.api.url);
    dataOwner.setToken(await tokenOf('dataOwner'));
    await expect(dataOwner.protectedData.registerSchema.mutate({ address: dataset, schema: { email: 'string' } })).resolves.toBeDefined();
  });

  it('keeps what it does not know as ApiRequestError', async () => {
    const api = createApiClient(devnet.api.url) as unknown as { nothing: { here: { query(): Promise<unknown> } } };
    const error = await refusal(api.nothing.here.query());
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ reason: 'refused', kind: 'not-found', httpStatus: 404, errorName: undefined, procedure: 'nothing.here' });
  });
});
