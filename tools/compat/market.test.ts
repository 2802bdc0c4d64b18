import { generateKeyPairSync } from 'node:crypto';
import { TDX_TAG } from '@confidant/contracts';
import { type Devnet, devnetClient, startDevnet } from '@confidant/devnet';
import { protectData, publishAppOrder } from '@confidant/sdk';
import { deployApp } from '@confidant/sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iexecOn } from '@confidant/devnet/iexec';
import { freeRequestOrder } from './devnetIexec.js';

// iExec's own SDK (`iexec`, pinned, unchanged) finds and publishes orders through Confidant's API as
// its market API (`iexecGatewayURL` = the API's origin): one orderbook, two doors — what iExec
// publishes Confidant's tRPC lists, and what Confidant publishes iExec finds.

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet();
}, 120_000);
afterAll(() => devnet?.stop());

const lower = (hashes: string[]) => hashes.map((hash) => hash.toLowerCase());

describe("iExec's SDK on Confidant's orderbook (market API)", () => {
  it('publishes, finds, fetches and unpublishes orders, seen through both doors', async () => {
    const publisher = devnetClient(devnet, 'publisher');
    const { address: app } = await deployApp(publisher, {
      name: 'iexec-market-compat',
      files: { 'app.js': 'console.log("hi")' },
      declaration: { runtime: 'node', entrypoint: 'app.js' },
    });
    const iexec = iexecOn(devnet, 'publisher');

    // An app order created, signed and published by iExec's SDK.
    const apporder = await iexec.order.signApporder(await iexec.order.createApporder({ app, appprice: 0, volume: 3 }));
    const appHash = (await iexec.order.publishApporder(apporder)).toLowerCase();
    const fetched = await iexec.orderbook.fetchApporder(appHash);
    expect(fetched).toMatchObject({ orderHash: appHash, remaining: 3, status: 'open', order: { app, volume: 3, sign: apporder.sign } });
    const book = await iexec.orderbook.fetchAppOrderbook({ app, minTag: TDX_TAG });
    expect(lower(book.orders.map((o) => o.orderHash))).toEqual([appHash]);
    expect(book.count).toBe(1);
    expect((await iexec.orderbook.fetchAppOrderbook({ app, maxTag: `0x${'0'.repeat(64)}` })).count).toBe(0);
    expect(
      (await iexec.orderbook.fetchAppOrderbook({ appOwner: devnet.chain.accounts.publisher.address, minVolume: 3 })).count,
    ).toBeGreaterThan(0);
    // The other door: Confidant's tRPC lists it.
    const viaTrpc = await publisher.api.orders.list.query({ kind: 'app', subject: app });
    expect(viaTrpc.items.map((o) => o.hash)).toEqual([appHash]);

    // An order Confidant publishes (tRPC) is in iExec's orderbook.
    const confidantHash = (await publishAppOrder(publisher, { app, price: 1n, volume: 2n })).hash.toLowerCase();
    const both = await iexec.orderbook.fetchAppOrderbook({ app, dataset: 'any', workerpool: 'any', requester: 'any' });
    expect(lower(both.orders.map((o) => o.orderHash))).toEqual([appHash, confidantHash]);

    // Unpublished through iExec: gone from both doors.
    expect((await iexec.order.unpublishApporder(appHash)).toLowerCase()).toBe(appHash);
    const after = await iexec.orderbook.fetchAppOrderbook({ app, requester: 'any' });
    expect(lower(after.orders.map((o) => o.orderHash))).toEqual([confidantHash]);
    expect((await publisher.api.orders.list.query({ kind: 'app', subject: app, limit: 50 })).items.map((o) => o.hash)).toEqual([
      confidantHash,
    ]);
    await expect(iexec.orderbook.fetchApporder(appHash)).rejects.toThrow(/API error: .*not found/);
  }, 120_000);

  it('publishes and finds dataset orders; finds workerpool and request orders', async () => {
    const publisher = devnetClient(devnet, 'publisher');
    const owner = devnetClient(devnet, 'dataOwner');
    const requester = devnet.chain.accounts.requester.address;
    const { address: app } = await deployApp(publisher, {
      name: 'iexec-market-compat-2',
      files: { 'app.js': 'console.log("hi")' },
      declaration: { runtime: 'node', entrypoint: 'app.js' },
    });
    const { address: dataset } = await protectData(owner, { data: { email: 'alice@example.com' }, name: 'market-compat' });

    const iexec = iexecOn(devnet, 'dataOwner');
    const datasetorder = await iexec.order.signDatasetorder(
      await iexec.order.createDatasetorder({ dataset, datasetprice: 0, volume: 10, apprestrict: app, requesterrestrict: requester }),
    );
    const datasetHash = (await iexec.order.publishDatasetorder(datasetorder)).toLowerCase();
    const grants = await iexec.orderbook.fetchDatasetOrderbook({ dataset, app, requester, isAppStrict: true });
    expect(grants.orders).toEqual([expect.objectContaining({ orderHash: datasetHash, remaining: 10, bulk: false })]);
    expect((await iexec.orderbook.fetchDatasetOrderbook({ dataset, app })).count).toBe(0);
    expect((await iexec.orderbook.fetchDatasetorder(datasetHash)).orderHash.toLowerCase()).toBe(datasetHash);
    const viaTrpc = await owner.api.orders.list.query({ kind: 'dataset', dataset });
    expect(viaTrpc.items.map((o) => o.hash)).toEqual([datasetHash]);

    // The local worker's workerpool orders.
    const workerpool = devnet.chain.workerpool.address;
    const pools = await iexec.orderbook.fetchWorkerpoolOrderbook({ workerpool, category: 0, minTag: TDX_TAG });
    expect(pools.count).toBeGreaterThan(0);
    expect(pools.orders.every((o) => o.order.workerpool.toLowerCase() === workerpool.toLowerCase())).toBe(true);

    // A request order Confidant publishes, found with iExec's filters.
    const requestorder = await freeRequestOrder(devnet, { app, dataset, args: 'Alice' });
    const requestHash = (await devnetClient(devnet, 'requester').api.orders.publish.mutate({ kind: 'request', order: requestorder })).hash;
    const requests = await iexec.orderbook.fetchRequestOrderbook({ requester, app, dataset, workerpool, category: 0 });
    expect(lower(requests.orders.map((o) => o.orderHash))).toEqual([requestHash.toLowerCase()]);
    expect((await iexec.orderbook.fetchRequestOrderbook({ requester, app, category: 0 })).count).toBe(0);
  }, 120_000);

  it("finds a deal matched on the devnet with iExec's deal methods", async () => {
    const publisher = devnetClient(devnet, 'publisher');
    const requester = devnet.chain.accounts.requester.address;
    const { address: app } = await deployApp(publisher, {
      name: 'iexec-market-compat-deals',
      files: { 'app.js': 'console.log("hi")' },
      declaration: { runtime: 'node', entrypoint: 'app.js' },
    });
    const apporder = await iexecOn(devnet, 'publisher').order.signApporder(
      await iexecOn(devnet, 'publisher').order.createApporder({ app, appprice: 0, volume: 1 }),
    );
    const appHash = (await iexecOn(devnet, 'publisher').order.publishApporder(apporder)).toLowerCase();
    const iexec = iexecOn(devnet, 'requester');
    const workerpool = devnet.chain.workerpool.address;
    const pool = (await iexec.orderbook.fetchWorkerpoolOrderbook({ workerpool, category: 0, minTag: TDX_TAG })).orders[0];
    if (!pool) throw new Error('the local worker published no workerpool order');
    const requestorder = await freeRequestOrder(devnet, { app, args: 'Bob' });
    const requestHash = (await iexec.order.hashRequestorder(requestorder as never)).toLowerCase();
    // Preflight on: the beneficiary's result key in the SMS (the request asks for encrypted results).
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await iexec.result.pushResultEncryptionKey(Buffer.from(publicPem).toString('base64'), { forceUpdate: true });
    const { dealid } = await iexec.order.matchOrders({ apporder, workerpoolorder: pool.order, requestorder: requestorder as never });
    await devnet.api.indexer.waitForBlock(await devnet.chain.client().publicClient.getBlockNumber());

    const expected = {
      dealid: dealid.toLowerCase(),
      app: { pointer: app, owner: devnet.chain.accounts.publisher.address, price: 0 },
      appHash,
      requestHash,
      requester,
      botFirst: 0,
      botSize: 1,
    };
    const mine = await iexec.deal.fetchRequesterDeals(requester, { appAddress: app });
    expect(mine.count).toBe(1);
    expect(mine.more).toBeUndefined();
    expect(mine.deals).toEqual([
      expect.objectContaining({ ...expected, workerpool: expect.objectContaining({ price: pool.order.workerpoolprice }) }),
    ]);
    expect((await iexec.deal.fetchRequesterDeals(requester)).deals.map((deal) => deal.dealid)).toContain(dealid.toLowerCase());
    const byApporder = await iexec.deal.fetchDealsByApporder(appHash);
    expect(byApporder).toEqual({ count: 1, deals: [expect.objectContaining(expected)] });
    // As dataprotector reads a bulk request's deals: numbers it can add.
    const byRequest = await iexec.deal.fetchDealsByRequestorder(requestHash, { pageSize: 10 });
    expect(byRequest.deals.map((deal) => deal.botFirst + deal.botSize)).toEqual([1]);
  }, 120_000);
});
