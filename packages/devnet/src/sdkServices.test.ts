import { buildAppOrder, createApp, dataProtectorAbi, type PocoWalletClient, requireWallet, signOrder, TDX_TAG } from '@confidant/contracts';
import {
  createConfidantClient,
  getGrantedAccess,
  getProtectedData,
  grantAccess,
  MarketApiError,
  MissingServiceConfigError,
  protectData,
  publishAppOrder,
  revokeOneAccess,
} from '@confidant/sdk';
import { type Address, parseEventLogs } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devnetClient } from './client.js';
import { type Devnet, startDevnet } from './startDevnet.js';

// The SDK on the local network speaks iExec's service protocols, as on Arbitrum: orders through the
// market API at the API's origin, protected data through the DataProtector contract, found through
// the DataProtector subgraph. (These tests live here: the SDK cannot depend on the devnet, which
// depends on it.)

let devnet: Devnet;
let app: Address;
beforeAll(async () => {
  devnet = await startDevnet();
  const publisher = devnet.chain.client('publisher') as PocoWalletClient;
  ({ address: app } = await createApp(publisher, {
    name: 'market-app',
    type: 'DOCKER',
    multiaddr: 'registry.example/market-app:1.0.0',
    checksum: `0x${'ab'.repeat(32)}`,
  }));
}, 120_000);
afterAll(() => devnet?.stop());

/** The requests a client sends, by method and URL. */
function recordingFetch(): { fetch: typeof fetch; calls: { method: string; url: string; body: string | undefined }[] } {
  const calls: { method: string; url: string; body: string | undefined }[] = [];
  return {
    calls,
    fetch: (input, init) => {
      calls.push({ method: init?.method ?? 'GET', url: String(input), body: typeof init?.body === 'string' ? init.body : undefined });
      return globalThis.fetch(input, init);
    },
  };
}

/** A devnet client of `role` whose requests are recorded. */
function recordedClient(role: 'publisher' | 'dataOwner') {
  const recorder = recordingFetch();
  const origin = new URL(devnet.api.url).origin;
  const client = devnetClient(devnet, role, { fetch: recorder.fetch });
  return { client, calls: recorder.calls, origin };
}

describe('orders through the market API', () => {
  it('publishes an app order (challenge, EIP-712 authorization) and reads it back from the market API', async () => {
    const { client, calls, origin } = recordedClient('publisher');
    const published = await publishAppOrder(client, { app, price: 0, volume: 10 });
    expect(published).toMatchObject({ app, price: 0n, volume: 10n, remaining: 10n });
    expect(calls.map((call) => `${call.method} ${new URL(call.url).pathname}`)).toEqual(['GET /challenge', 'POST /apporders']);
    expect(calls.every((call) => call.url.startsWith(origin))).toBe(true);

    const { orders } = await client.market.list('app', { app });
    expect(orders.map((item) => item.orderHash)).toContain(published.hash);
    const raw = (await (await fetch(`${origin}/apporders/${published.hash}?chainId=${devnet.chain.chainId}`)).json()) as {
      ok: boolean;
      signer: string;
    };
    expect(raw).toMatchObject({ ok: true, signer: devnet.chain.accounts.publisher.address });
  });

  it("surfaces the market API's refusal as a typed error with its words", async () => {
    const publisher = devnet.chain.client('publisher') as PocoWalletClient;
    const order = await signOrder(publisher, { kind: 'app', order: buildAppOrder({ app, appprice: 0n, volume: 1n, tag: TDX_TAG }) });
    const { client } = recordedClient('dataOwner');
    const refused = await client.market.publish(requireWallet(client.poco, 'publishing'), 'app', order).then(
      () => expect.unreachable('the market API should refuse an order signed by someone else'),
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(MarketApiError);
    const error = refused as MarketApiError;
    expect(error).toMatchObject({ call: 'POST /apporders', reason: 'refused', kind: 'forbidden', httpStatus: 403 });
    const signer = devnet.chain.accounts.publisher.address.toLowerCase();
    const authorized = devnet.chain.accounts.dataOwner.address.toLowerCase();
    expect(error.apiMessage).toBe(`order refused: the app order is signed by ${signer}, not by the authorized address ${authorized}`);
    expect(error.shortMessage).toBe(`the market API refused POST /apporders: ${error.apiMessage}`);
  });

  it('grants through the market API, lists the grant there, reads it by hash and revokes it', async () => {
    const { client: owner } = recordedClient('dataOwner');
    const { address: protectedData } = await protectData(owner, { data: { email: 'grant@example.com' }, name: 'market grant' });
    const grant = await grantAccess(owner, { protectedData, authorizedApp: app, numberOfAccess: 2 });
    expect(grant).toMatchObject({ protectedData, app, numberOfAccess: 2n, remainingAccess: 2n, revoked: false, expiresAt: null });
    const listed = await owner.market.list('dataset', { dataset: protectedData, app: 'any', requester: 'any', workerpool: 'any' });
    expect(listed.orders.map((item) => item.orderHash)).toEqual([grant.hash]);
    expect((await getGrantedAccess(owner, { protectedData })).map((g) => [g.hash, g.remainingAccess])).toEqual([[grant.hash, 2n]]);

    const revoked = await revokeOneAccess(owner, grant.hash);
    expect(revoked.access.hash).toBe(grant.hash);
    // The chain knows at once, whatever the orderbook has seen.
    expect(await getGrantedAccess(owner, { protectedData })).toEqual([]);
  });
});

describe('protected data through the DataProtector contract and subgraph', () => {
  it('protectData emits DatasetSchema; getProtectedData finds it through the subgraph by required schema', async () => {
    const { client, calls } = recordedClient('dataOwner');
    const created = await protectData(client, { data: { email: 'alice@example.com', age: 42 }, name: 'subgraph data' });
    expect(created.schema).toEqual({ email: 'string', age: 'f64' });
    const receipt = await client.poco.publicClient.getTransactionReceipt({ hash: created.transactionHash });
    const [event] = parseEventLogs({ abi: dataProtectorAbi, eventName: 'DatasetSchema', logs: receipt.logs });
    expect(event?.address.toLowerCase()).toBe(devnet.chain.dataProtector.toLowerCase());
    expect(event?.args).toEqual({ dataset: created.address, schema: JSON.stringify(created.schema) });
    // No call to the marketplace's tRPC API: the schema is on chain.
    expect(calls.filter((call) => call.url.startsWith(devnet.api.url))).toEqual([]);

    await devnet.api.indexer.waitForBlock(receipt.blockNumber);
    calls.length = 0;
    const found = await getProtectedData(client, { owner: created.owner, requiredSchema: { email: 'string' } });
    expect(found.map((data) => data.address)).toContain(created.address);
    expect(found.find((data) => data.address === created.address)).toEqual({
      address: created.address,
      name: 'subgraph data',
      owner: created.owner,
      schema: created.schema,
      multiaddr: expect.any(String),
      checksum: created.checksum,
      createdAt: created.createdAt,
      transactionHash: created.transactionHash,
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', url: `${new URL(devnet.api.url).origin}/subgraphs/dataprotector` });
    expect(JSON.parse(calls[0]?.body ?? '{}')).toMatchObject({
      query: expect.stringContaining('protectedDatas(where: $where, skip: $start, first: $range'),
      variables: { where: { and: [{ owner: created.owner.toLowerCase() }, { schema_contains: ['email:string'] }] } },
    });
    expect(await getProtectedData(client, { requiredSchema: { email: 'bool' }, owner: created.owner })).toEqual([]);
    expect(await getProtectedData(client, { protectedDataAddress: created.address })).toHaveLength(1);
  });

  it('says which setting is missing on a local network without a DataProtector', async () => {
    const client = createConfidantClient({
      network: 'local',
      chainId: devnet.chain.chainId,
      rpcUrl: devnet.chain.rpcUrl,
      addresses: devnet.chain.addresses,
      account: devnet.chain.accounts.dataOwner.privateKey,
      apiUrl: devnet.api.url,
      smsUrl: devnet.sms.url,
      ipfsApiUrl: devnet.storage.apiUrl,
      ipfsGatewayUrl: devnet.storage.gatewayUrl,
    });
    await expect(protectData(client, { data: { email: 'a@b.c' } })).rejects.toThrow(MissingServiceConfigError);
    await expect(protectData(client, { data: { email: 'a@b.c' } })).rejects.toMatchObject({ keys: ['dataProtector'] });
    // Everything else has its default there: devnetClient gives all three.
    expect(devnetClient(devnet, 'dataOwner').dataProtector).toBe(devnet.chain.dataProtector);
  });
});
