import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildAppOrder, getPocoDomain, hashOrder, networks, signOrder, TDX_TAG } from '@confidant/contracts';
import { orders } from '@confidant/db';
import { createTestDb } from '@confidant/db/testing';
import { OrderRefusedError } from '@confidant/errors/api';
import { type LocalChain, startLocalChain } from '@confidant/local-chain';
import { prepareTeeScenario, type TeeScenario } from '@confidant/local-chain/testing';
import { createTRPCClient, httpLink } from '@trpc/client';
import { eq, inArray } from 'drizzle-orm';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readApiEnv } from '../src/env.js';
import type { AppRouter } from '../src/index.js';
import { createMarketMirror } from '../src/market/mirror.js';
import { MirroredOrderRefusedError, UpstreamMarketError } from '../src/market/mirrorUpstream.js';
import { unpublishOrders } from '../src/market/unpublish.js';
import { type Api, startApi } from '../src/startApi.js';
import { orderToJson } from '../src/store/serialize.js';

// Two APIs on one real chain: U plays the upstream market API (iExec's on a public network), M
// mirrors it. Only the lying upstream is a fake (a node:http server that serves tampered orders).

let chain: LocalChain;
let U: Api;
let M: Api;
let s: TeeScenario;
/** What M's own mirror (against U, an honest upstream) reported. */
const mirrorErrors: unknown[] = [];

async function start(marketMirror?: Parameters<typeof startApi>[0]['marketMirror']): Promise<Api> {
  return startApi({
    network: 'local',
    rpcUrl: chain.rpcUrl,
    addresses: chain.addresses,
    database: await createTestDb(),
    indexerStartBlock: chain.startBlock,
    cacheTtlMs: 0,
    marketMirror,
  });
}

const originOf = (api: Api) => `http://127.0.0.1:${api.server.port}`;
const client = (api: Api) => createTRPCClient<AppRouter>({ links: [httpLink({ url: api.url, transformer: superjson })] });

beforeAll(async () => {
  chain = await startLocalChain();
  U = await start();
  M = await start({ upstreamUrl: originOf(U), intervalMs: 200, onError: (error) => mirrorErrors.push(error) });
  s = await prepareTeeScenario(chain);
}, 180_000);
afterAll(async () => {
  await M?.stop();
  await U?.stop();
  await chain?.stop();
});

type Kind = 'app' | 'dataset' | 'workerpool' | 'request';

/** An API's tRPC list of a subject's open orders: what the web app sees. */
async function listed(api: Api, kind: Kind, subject: string) {
  const { items } = await client(api).orders.list.query({ kind, subject, limit: 100 });
  return items
    .map((item) => ({ hash: item.hash, remaining: item.remaining, volume: item.volume, status: item.status, order: item.order }))
    .sort((a, b) => a.hash.localeCompare(b.hash));
}

/** An API's market door list (what iExec's SDK sees), without the publication time (each API has its own). */
async function door(api: Api, path: string, query: Record<string, string>) {
  const url = new URL(path, originOf(api));
  for (const [key, value] of Object.entries({ chainId: String(chain.chainId), ...query })) url.searchParams.set(key, value);
  const body = (await (await fetch(url)).json()) as { ok: boolean; count: number; orders: { publicationTimestamp?: string }[] };
  return { ...body, orders: body.orders.map(({ publicationTimestamp: _, ...item }) => item) };
}

const anyApp = { app: 'any', dataset: 'any', workerpool: 'any', requester: 'any' };

async function appOrder(appprice: bigint, volume: bigint, by: 'publisher' | 'requester' = 'publisher') {
  const order = await signOrder(chain.client(by), { kind: 'app', order: buildAppOrder({ app: s.app, appprice, volume, tag: TDX_TAG }) });
  const hash = hashOrder({ domain: await getPocoDomain(U.services.poco), kind: 'app', order }).toLowerCase();
  return { order, hash };
}

const storedAt = async (api: Api, hashes: string[]) =>
  api.database.db.select({ hash: orders.hash, mirrored: orders.mirrored }).from(orders).where(inArray(orders.hash, hashes));

let extra: Awaited<ReturnType<typeof appOrder>>;

describe('the market mirror', () => {
  it('copies the upstream orders of the indexed apps, datasets and workerpools, verified, every interval', async () => {
    extra = await appOrder(7n, 3n);
    const upstream = client(U);
    const published = [
      await upstream.orders.publish.mutate({ kind: 'app', order: s.appOrder }),
      await upstream.orders.publish.mutate({ kind: 'app', order: extra.order }),
      await upstream.orders.publish.mutate({ kind: 'dataset', order: s.datasetOrder }),
      await upstream.orders.publish.mutate({ kind: 'workerpool', order: s.workerpoolOrder }),
    ];
    const request = await upstream.orders.publish.mutate({ kind: 'request', order: s.requestOrder });
    await M.indexer.waitForBlock(await chain.client().publicClient.getBlockNumber());

    // M's own rounds (every 200 ms) bring them in: no call to syncOnce here. A round goes on from
    // where the last one stopped (apps, datasets, workerpools, around), so each kind is waited for.
    await vi.waitFor(async () => expect(await listed(M, 'app', s.app)).toHaveLength(2), { timeout: 30_000, interval: 200 });
    await vi.waitFor(async () => expect(await listed(M, 'dataset', s.dataset)).toHaveLength(1), { timeout: 30_000, interval: 200 });
    await vi.waitFor(async () => expect(await listed(M, 'workerpool', s.workerpool)).toHaveLength(1), { timeout: 30_000, interval: 200 });
    expect(await listed(M, 'app', s.app)).toEqual(await listed(U, 'app', s.app));
    expect(await listed(M, 'dataset', s.dataset)).toEqual(await listed(U, 'dataset', s.dataset));
    expect(await listed(M, 'workerpool', s.workerpool)).toEqual(await listed(U, 'workerpool', s.workerpool));
    expect((await listed(M, 'app', s.app)).find((o) => o.hash === extra.hash)).toMatchObject({ remaining: 3n, volume: 3n, status: 'open' });

    // Its market door answers as U's does (same hashes, remaining volume, signed orders).
    const appsAtM = await door(M, '/apporders', { ...anyApp, app: s.app });
    expect(appsAtM).toMatchObject({ ok: true, count: 2 });
    expect(appsAtM).toEqual(await door(U, '/apporders', { ...anyApp, app: s.app }));
    expect(await door(M, '/datasetorders', { ...anyApp, dataset: s.dataset })).toEqual(
      await door(U, '/datasetorders', { ...anyApp, dataset: s.dataset }),
    );
    const pools = { ...anyApp, workerpool: s.workerpool };
    expect(await door(M, '/workerpoolorders', pools)).toEqual(await door(U, '/workerpoolorders', pools));

    // Stored as mirrored; request orders are not mirrored (requesters publish where they match).
    expect(
      await storedAt(
        M,
        published.map((o) => o.hash),
      ),
    ).toEqual(expect.arrayContaining(published.map((o) => ({ hash: o.hash, mirrored: true }))));
    expect(await storedAt(M, [request.hash])).toEqual([]);
    expect(mirrorErrors).toEqual([]);
  }, 90_000);

  it('unpublishes an order that left the upstream, and never one published here', async () => {
    const local = await appOrder(9n, 1n);
    await client(M).orders.publish.mutate({ kind: 'app', order: local.order });
    const unpublished = await unpublishOrders(
      U.services,
      'app',
      { target: 'unpublish_orderHash', orderHash: extra.hash },
      chain.accounts.publisher.address.toLowerCase(),
    );
    expect(unpublished).toEqual([extra.hash]);

    // (M's own rounds run too: whichever round sees it gone first unpublishes it.)
    expect(await M.marketMirror!.syncOnce()).toMatchObject({ complete: true, refused: 0 });
    expect(await M.database.db.select({ at: orders.unpublishedAt }).from(orders).where(eq(orders.hash, extra.hash))).toEqual([
      { at: expect.any(Date) },
    ]);
    const hashes = (await listed(M, 'app', s.app)).map((o) => o.hash);
    expect(hashes).not.toContain(extra.hash);
    expect(hashes).toContain(local.hash);
    expect(hashes).toEqual(expect.arrayContaining((await listed(U, 'app', s.app)).map((o) => o.hash)));
    const gone = await fetch(new URL(`/apporders/${extra.hash}?chainId=${chain.chainId}`, originOf(M)));
    expect(gone.status).toBe(404);

    // Published again upstream: back here at the next round.
    await client(U).orders.publish.mutate({ kind: 'app', order: extra.order });
    expect(await M.marketMirror!.syncOnce()).toMatchObject({ complete: true, unpublished: 0, refused: 0 });
    expect((await listed(M, 'app', s.app)).map((o) => o.hash)).toContain(extra.hash);
    expect(mirrorErrors).toEqual([]);
  }, 60_000);

  it('stores no order an upstream forged, and reports each one', async () => {
    const domain = await getPocoDomain(U.services.poco);
    // Re-priced after signing, hash recomputed: the signature is no longer the owner's.
    const repriced = { ...extra.order, appprice: 0n };
    const repricedHash = hashOrder({ domain, kind: 'app', order: repriced }).toLowerCase();
    // Signed by someone who does not own the app.
    const planted = await appOrder(1n, 1n, 'requester');
    // A genuine order under a hash that is not its own.
    const misnamed = await appOrder(2n, 1n);
    const misnamedHash = `0x${'ab'.repeat(32)}`;
    const forged = [
      { orderHash: repricedHash, order: orderToJson(repriced) },
      { orderHash: planted.hash, order: orderToJson(planted.order) },
      { orderHash: misnamedHash, order: orderToJson(misnamed.order) },
    ];
    // The fake upstream: U's answers, with the forged orders added to the app's list.
    const fake = createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', originOf(U));
        const body = (await (await fetch(new URL(url.pathname + url.search, originOf(U)))).json()) as { orders?: unknown[] };
        if (url.pathname === '/apporders' && url.searchParams.get('app')?.toLowerCase() === s.app.toLowerCase())
          body.orders?.push(...forged);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      })();
    });
    const errors: unknown[] = [];
    try {
      const fakeUrl = await listening(fake);
      const mirror = createMarketMirror({
        db: M.database.db,
        poco: M.services.poco,
        upstreamUrl: fakeUrl,
        intervalMs: 60_000,
        onError: (e) => errors.push(e),
      });
      const round = await mirror.syncOnce();
      await mirror.stop();
      expect(round).toMatchObject({ complete: true, stored: 0, unpublished: 0, refused: 3 });
    } finally {
      await new Promise((resolve) => fake.close(resolve));
    }
    expect(errors).toHaveLength(3);
    for (const error of errors) expect(error).toBeInstanceOf(MirroredOrderRefusedError);
    const about = (hash: string) => (errors as MirroredOrderRefusedError[]).find((error) => error.fields.orderHash === hash);
    const [first, second, third] = [about(repricedHash), about(planted.hash), about(misnamedHash)];
    expect(first?.fields).toMatchObject({ kind: 'app', orderHash: repricedHash });
    expect(first?.cause).toBeInstanceOf(OrderRefusedError);
    expect(first?.shortMessage).toMatch(
      /is not mirrored: order refused: the app order is signed by 0x[0-9a-fA-F]{40}, not by the owner of app/,
    );
    expect(second?.shortMessage).toMatch(/not by the owner of app/);
    expect(second?.cause).toBeInstanceOf(OrderRefusedError);
    expect(third?.cause).toBeUndefined();
    expect(third?.shortMessage).toMatch(/its orderHash is not the hash of the order it carries/);
    expect(await storedAt(M, [repricedHash, planted.hash, misnamedHash, misnamed.hash])).toEqual([]);
    // What U lists is all still there.
    expect((await listed(M, 'app', s.app)).map((o) => o.hash)).toEqual(
      expect.arrayContaining((await listed(U, 'app', s.app)).map((o) => o.hash)),
    );
  }, 60_000);

  it('reports an upstream that is down and keeps serving what it had', async () => {
    const before = await listed(M, 'app', s.app);
    // A port nothing listens on any more.
    const closed = createServer();
    const deadUrl = await listening(closed);
    await new Promise((resolve) => closed.close(resolve));
    const errors: unknown[] = [];
    const mirror = createMarketMirror({
      db: M.database.db,
      poco: M.services.poco,
      upstreamUrl: deadUrl,
      intervalMs: 60_000,
      onError: (e) => errors.push(e),
    });
    const round = await mirror.syncOnce();
    await mirror.stop();
    expect(round).toMatchObject({ complete: false, subjects: 0, stored: 0, unpublished: 0 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(UpstreamMarketError);
    expect(errors[0]).toMatchObject({ kind: 'unavailable', fields: { upstream: deadUrl, path: '/apporders' } });
    expect((errors[0] as UpstreamMarketError).shortMessage).toMatch(/is unreachable/);
    expect(await listed(M, 'app', s.app)).toEqual(before);
    expect(await door(M, '/apporders', { ...anyApp, app: s.app })).toMatchObject({ ok: true, count: before.length });
  }, 30_000);
});

describe('the market mirror settings', () => {
  it('mirror iExec market API on a public network, nothing on local unless configured', () => {
    expect(readApiEnv({}).marketMirror).toBeUndefined();
    expect(readApiEnv({ CONFIDANT_MARKET_MIRROR_URL: 'http://127.0.0.1:4000' }).marketMirror).toEqual({
      upstreamUrl: 'http://127.0.0.1:4000',
      intervalMs: 60_000,
    });
    expect(readApiEnv({ CHAIN_NETWORK: 'arbitrum-sepolia-testnet', CONFIDANT_MARKET_MIRROR_INTERVAL_MS: '5000' }).marketMirror).toEqual({
      upstreamUrl: networks['arbitrum-sepolia-testnet'].services?.marketApi,
      intervalMs: 5000,
    });
    expect(readApiEnv({ CHAIN_NETWORK: 'arbitrum-mainnet', CONFIDANT_MARKET_MIRROR_URL: 'off' }).marketMirror).toBeUndefined();
  });
});

async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
