import {
  buildAppOrder,
  buildWorkerpoolOrder,
  getPocoDomain,
  hashOrder,
  matchOrders,
  NO_TAG,
  orderTypedData,
  signOrder,
  TDX_TAG,
  TEE_TAG,
} from '@confidant/contracts';
import { marketChallenges, orders } from '@confidant/db';
import type { ChainAccount } from '@confidant/local-chain';
import { prepareTeeScenario, type TeeScenario } from '@confidant/local-chain/testing';
import { eq, inArray } from 'drizzle-orm';
import { getAddress, hashTypedData, zeroAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../src/server.js';
import { type Harness, startHarness } from './harness.js';

// The orderbook through its second door: iExec's market API (lists, one order, challenge, publish,
// unpublish) at the API's root, answered as iExec's market API answers.

let h: Harness;
let origin: string;
let s: TeeScenario;
beforeAll(async () => {
  h = await startHarness();
  origin = `http://127.0.0.1:${h.api.server.port}`;
  s = await prepareTeeScenario(h.chain);
}, 120_000);
afterAll(() => h?.stop());

type Answer = { status: number; type: string | null; body: Record<string, unknown> & { error?: string } };
type Item = { orderHash: string; remaining: number; order: Record<string, unknown>; signer: string };

const json = (value: unknown) => JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));

async function market(
  method: string,
  path: string,
  query: Record<string, string | number | boolean | undefined> = {},
  init: { body?: unknown; authorization?: string } = {},
): Promise<Answer> {
  const url = new URL(path, origin);
  for (const [key, value] of Object.entries({ chainId: h.chain.chainId, ...query }))
    if (value !== undefined) url.searchParams.set(key, String(value));
  const response = await fetch(url, {
    method,
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.authorization ? { authorization: init.authorization } : {}),
    },
    ...(init.body !== undefined ? { body: json(init.body) } : {}),
  });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Answer['body'] };
}

const hashesOf = (answer: Answer) => (answer.body.orders as Item[]).map((item) => item.orderHash);

/** iExec's SDK sign-in: a challenge, signed as EIP-712, sent as `<digest>_<signature>_<address>`. */
async function authorizationOf(signer: ChainAccount, as: ChainAccount = signer): Promise<string> {
  const answer = await market('GET', '/challenge', { address: as.address });
  const typedData = answer.body.data as { domain: { name: string; version: string; chainId: number }; message: { challenge: string } };
  const types = { Challenge: [{ name: 'challenge', type: 'string' }] } as const;
  const signature = await signer.account.signTypedData({
    domain: typedData.domain,
    types,
    primaryType: 'Challenge',
    message: typedData.message,
  });
  const digest = hashTypedData({ domain: typedData.domain, types, primaryType: 'Challenge', message: typedData.message });
  return `${digest}_${signature}_${as.address}`;
}

async function appOrder(fields: Partial<Parameters<typeof buildAppOrder>[0]>, by: 'publisher' | 'dataOwner' = 'publisher') {
  const order = await signOrder(h.chain.client(by), { kind: 'app', order: buildAppOrder({ app: s.app, ...fields }) });
  const hash = hashOrder({ domain: await getPocoDomain(h.api.services.poco), kind: 'app', order }).toLowerCase();
  return { order, hash };
}

const stored = async (hash: string) => (await h.api.database.db.select().from(orders).where(eq(orders.hash, hash))).length;

describe('the market API door', () => {
  it('lists the four kinds with filters and restrictions, cheapest first', async () => {
    const api = h.client();
    const scenario = {
      app: await api.orders.publish.mutate({ kind: 'app', order: s.appOrder }),
      dataset: await api.orders.publish.mutate({ kind: 'dataset', order: s.datasetOrder }),
      workerpool: await api.orders.publish.mutate({ kind: 'workerpool', order: s.workerpoolOrder }),
      request: await api.orders.publish.mutate({ kind: 'request', order: s.requestOrder }),
    };
    const a1 = await appOrder({ appprice: 5n, volume: 3n, tag: NO_TAG });
    const a2 = await appOrder({ appprice: 1n, tag: TDX_TAG });
    const a3 = await appOrder({ appprice: 2n, datasetrestrict: s.dataset });
    for (const { order } of [a1, a2, a3]) await api.orders.publish.mutate({ kind: 'app', order });

    const apps = await market('GET', '/apporders', { app: s.app });
    expect(apps.status).toBe(200);
    expect(apps.type).toMatch(/application\/json/);
    expect(apps.body).toMatchObject({ ok: true, count: 3 });
    expect(apps.body.nextPage).toBeUndefined();
    expect(hashesOf(apps)).toEqual([a2.hash, a1.hash, scenario.app.hash]);
    expect((apps.body.orders as Item[])[1]).toEqual({
      orderHash: a1.hash,
      chainId: h.chain.chainId,
      remaining: 3,
      status: 'open',
      signer: getAddress(h.chain.accounts.publisher.address),
      publicationTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      order: expect.objectContaining({
        app: getAddress(s.app),
        appprice: 5,
        volume: 3,
        tag: NO_TAG,
        datasetrestrict: zeroAddress,
        sign: a1.order.sign,
      }),
    });
    // Restrictions: absent -> open to all only; an address -> open to all or to it; strict -> only it; any -> all.
    expect(hashesOf(await market('GET', '/apporders', { app: s.app, dataset: s.dataset }))).toEqual([
      a2.hash,
      a3.hash,
      a1.hash,
      scenario.app.hash,
    ]);
    expect(hashesOf(await market('GET', '/apporders', { app: s.app, dataset: s.dataset, isDatasetStrict: true }))).toEqual([a3.hash]);
    expect(hashesOf(await market('GET', '/apporders', { app: s.app, dataset: 'any' }))).toHaveLength(4);
    expect(hashesOf(await market('GET', '/apporders', { app: s.app, minTag: TEE_TAG }))).toEqual([a2.hash, scenario.app.hash]);
    expect(hashesOf(await market('GET', '/apporders', { app: s.app, maxTag: NO_TAG }))).toEqual([a1.hash]);
    expect(hashesOf(await market('GET', '/apporders', { app: s.app, minVolume: 2 }))).toEqual([a1.hash]);
    const owned = await market('GET', '/apporders', { appOwner: h.chain.accounts.publisher.address });
    expect(hashesOf(owned)).toContain(a1.hash);
    expect(await market('GET', '/apporders', { appOwner: h.chain.accounts.requester.address })).toMatchObject({
      body: { ok: true, count: 0 },
    });

    // The grant names its app and requester: absent they exclude it, given they find it.
    expect(hashesOf(await market('GET', '/datasetorders', { dataset: s.dataset }))).toEqual([]);
    const grants = await market('GET', '/datasetorders', { dataset: s.dataset, app: s.app, requester: h.chain.accounts.requester.address });
    expect(grants.body.orders).toEqual([expect.objectContaining({ orderHash: scenario.dataset.hash, bulk: false })]);
    expect(
      hashesOf(await market('GET', '/datasetorders', { datasetOwner: h.chain.accounts.dataOwner.address, app: 'any', requester: 'any' })),
    ).toContain(scenario.dataset.hash);
    expect(hashesOf(await market('GET', '/datasetorders', { dataset: s.dataset, app: 'any', requester: 'any', bulkOnly: true }))).toEqual(
      [],
    );

    expect(hashesOf(await market('GET', '/workerpoolorders', { workerpool: s.workerpool, category: 0 }))).toContain(
      scenario.workerpool.hash,
    );
    expect(hashesOf(await market('GET', '/workerpoolorders', { workerpool: s.workerpool, category: 1 }))).toEqual([]);
    const requester = h.chain.accounts.requester.address;
    expect(hashesOf(await market('GET', '/requestorders', { requester, app: s.app, workerpool: s.workerpool }))).toEqual([
      scenario.request.hash,
    ]);
    // The request names its workerpool: without one it is not open to every workerpool.
    expect(hashesOf(await market('GET', '/requestorders', { requester, app: s.app }))).toEqual([]);
    expect(
      hashesOf(await market('GET', '/requestorders', { requester, workerpool: 'any', beneficiary: h.chain.accounts.publisher.address })),
    ).toEqual([]);
    expect(hashesOf(await market('GET', '/requestorders', { requester, workerpool: 'any', maxTrust: 0, category: 0 }))).toEqual([
      scenario.request.hash,
    ]);

    // One order by hash, of its own kind only.
    expect(await market('GET', `/apporders/${a1.hash}`)).toMatchObject({
      status: 200,
      body: { ok: true, orderHash: a1.hash, remaining: 3 },
    });
    expect(await market('GET', `/datasetorders/${a1.hash}`)).toMatchObject({ status: 404, body: { ok: false } });
  });

  it('pages with pageIndex and pageSize', async () => {
    const api = h.client();
    const made = [];
    for (let i = 0; i < 12; i++) made.push(await appOrder({ appprice: 100n + BigInt(i), workerpoolrestrict: s.workerpool }));
    for (const { order } of made) await api.orders.publish.mutate({ kind: 'app', order });
    const query = { app: s.app, workerpool: s.workerpool, isWorkerpoolStrict: true, pageSize: 10 };
    const first = await market('GET', '/apporders', query);
    expect(first.body).toMatchObject({ ok: true, count: 12, nextPage: 1 });
    expect(hashesOf(first)).toEqual(made.slice(0, 10).map((o) => o.hash));
    const second = await market('GET', '/apporders', { ...query, pageIndex: 1 });
    expect(second.body).toMatchObject({ ok: true, count: 12 });
    expect(second.body.nextPage).toBeUndefined();
    expect(hashesOf(second)).toEqual(made.slice(10).map((o) => o.hash));
    // Past the end: no orders, still the count of all that match.
    const past = await market('GET', '/apporders', { ...query, pageIndex: 5 });
    expect(past.body).toMatchObject({ ok: true, count: 12, orders: [] });
  });

  it('publishes with a challenge, and unpublishes for the signer only, through both doors', async () => {
    const challenge = await market('GET', '/challenge', { address: h.chain.accounts.publisher.address });
    expect(challenge.body).toMatchObject({
      ok: true,
      data: {
        domain: { name: 'iExec Gateway', version: '1', chainId: h.chain.chainId },
        types: { Challenge: [{ name: 'challenge', type: 'string' }] },
        primaryType: 'Challenge',
        message: { challenge: expect.stringMatching(/^Sign this message to log into iExec Gateway: \S+$/) },
      },
    });
    const publisher = h.chain.accounts.publisher;
    const { order, hash } = await appOrder({ appprice: 7n, requesterrestrict: h.chain.accounts.requester.address });
    const published = await market('POST', '/apporders', {}, { body: { order }, authorization: await authorizationOf(publisher) });
    expect(published).toMatchObject({ status: 200, body: { ok: true, published: { orderHash: hash, status: 'open', remaining: 1 } } });
    const trpcHashes = async () =>
      (await h.client().orders.list.query({ kind: 'app', subject: s.app, limit: 100 })).items.map((o) => o.hash);
    expect(await trpcHashes()).toContain(hash);
    const listed = { app: s.app, requester: h.chain.accounts.requester.address, isRequesterStrict: true };
    expect(hashesOf(await market('GET', '/apporders', listed))).toEqual([hash]);

    // Someone else cannot unpublish it.
    const other = await market(
      'PUT',
      '/apporders',
      {},
      { body: { target: 'unpublish_orderHash', orderHash: hash }, authorization: await authorizationOf(h.chain.accounts.dataOwner) },
    );
    expect(other).toMatchObject({ status: 403, body: { ok: false, error: expect.stringContaining('not by the authorized address') } });
    expect(hashesOf(await market('GET', '/apporders', listed))).toEqual([hash]);

    const unpublished = await market(
      'PUT',
      '/apporders',
      {},
      { body: { target: 'unpublish_orderHash', orderHash: hash }, authorization: await authorizationOf(publisher) },
    );
    expect(unpublished).toMatchObject({ status: 200, body: { ok: true, unpublished: [hash] } });
    expect(hashesOf(await market('GET', '/apporders', listed))).toEqual([]);
    expect(await trpcHashes()).not.toContain(hash);
    expect((await market('GET', `/apporders/${hash}`)).status).toBe(404);
    const again = await market(
      'PUT',
      '/apporders',
      {},
      { body: { target: 'unpublish_orderHash', orderHash: hash }, authorization: await authorizationOf(publisher) },
    );
    expect(again).toMatchObject({ status: 404, body: { ok: false } });

    // Published again (through tRPC): back in both doors; then unpublish_last and unpublish_all.
    await h.client().orders.publish.mutate({ kind: 'app', order });
    expect(hashesOf(await market('GET', '/apporders', listed))).toEqual([hash]);
    const last = await market(
      'PUT',
      '/apporders',
      {},
      { body: { target: 'unpublish_last', app: s.app }, authorization: await authorizationOf(publisher) },
    );
    expect(last).toMatchObject({ status: 200, body: { ok: true, unpublished: [hash] } });
    const all = await market(
      'PUT',
      '/apporders',
      {},
      { body: { target: 'unpublish_all', app: s.app }, authorization: await authorizationOf(publisher) },
    );
    expect((all.body.unpublished as string[]).length).toBeGreaterThan(1);
    expect(await market('GET', '/apporders', { app: s.app, dataset: 'any', workerpool: 'any', requester: 'any' })).toMatchObject({
      body: { ok: true, count: 0 },
    });
    expect(await trpcHashes()).toEqual([]);
  });

  it('refuses bad requests with their status and error, and stores nothing', async () => {
    const publisher = h.chain.accounts.publisher;
    const dataOwner = h.chain.accounts.dataOwner;
    const { order, hash } = await appOrder({ appprice: 9n });
    const post = (authorization: string | undefined, query = {}, body: unknown = { order }) =>
      market('POST', '/apporders', query, { body, ...(authorization ? { authorization } : {}) });
    const expectRefused = (answer: Answer, status: number, error: RegExp) => {
      expect(answer.status).toBe(status);
      expect(answer.type).toMatch(/application\/json/);
      expect(answer.body).toEqual({ ok: false, error: expect.stringMatching(error) });
    };

    expectRefused(await post(undefined), 401, /authorization/);
    // A signature by another account than the one the authorization names.
    expectRefused(await post(await authorizationOf(dataOwner, publisher)), 401, /signature is not by the address/);
    // A valid authorization of another account than the order's signer.
    expectRefused(await post(await authorizationOf(dataOwner)), 403, /not by the authorized address/);
    // An order of the publisher's app signed by someone else.
    const forged = await appOrder({ appprice: 9n }, 'dataOwner');
    expectRefused(await post(await authorizationOf(dataOwner), {}, { order: forged.order }), 403, /order refused/);
    // Refused before the authorization is checked: the challenge stays usable, once.
    const once = await authorizationOf(publisher);
    expectRefused(await post(once, { chainId: 1 }), 400, /chainId 1 is not served here/);
    expectRefused(await post(once, {}, { order: { ...order, sign: 'nothex' } }), 400, /^order\.sign: /);
    expectRefused(await post(once, {}, { nothing: true }), 400, /^order: /);
    const unknown = `0x${'ab'.repeat(32)}`;
    const missing = await market(
      'PUT',
      '/apporders',
      {},
      { body: { target: 'unpublish_orderHash', orderHash: unknown }, authorization: once },
    );
    expectRefused(missing, 404, /not found/);
    expectRefused(await post(once), 401, /no live challenge/);
    // Orders the orderbook refuses: an unknown app, an SGX (scone) tag.
    const unknownApp = await appOrder({ app: `0x${'12'.repeat(20)}` });
    expectRefused(await post(await authorizationOf(publisher), {}, { order: unknownApp.order }), 404, /./);
    // signOrder refuses the SGX tag itself: sign the typed data directly, as another tool might.
    const domain = await getPocoDomain(h.api.services.poco);
    const sgx = buildAppOrder({ app: s.app, tag: `0x${'0'.repeat(63)}3` });
    const scone = {
      order: { ...sgx, sign: await publisher.account.signTypedData(orderTypedData(domain, 'app', sgx)) },
      hash: hashOrder({ domain, kind: 'app', order: sgx }),
    };
    expectRefused(await post(await authorizationOf(publisher), {}, { order: scone.order }), 400, /scone/);
    expect(await stored(hash)).toBe(0);
    expect(await stored(forged.hash)).toBe(0);
    expect(await stored(unknownApp.hash)).toBe(0);
    expect(await stored(scone.hash.toLowerCase())).toBe(0);

    // Bad chainId, malformed queries, pages too deep.
    expectRefused(await market('GET', '/apporders', { app: s.app, chainId: 1 }), 400, /chainId 1 is not served here/);
    expectRefused(await market('GET', '/apporders', { app: s.app, chainId: 'x' }), 400, /chainId/);
    const before = await h.api.database.db.select().from(marketChallenges);
    expectRefused(await market('GET', '/challenge', { address: publisher.address, chainId: 5 }), 400, /chainId 5/);
    expectRefused(await market('GET', '/challenge', { address: '0x12' }), 400, /address/);
    expect(await h.api.database.db.select().from(marketChallenges)).toHaveLength(before.length);
    expectRefused(await market('GET', '/apporders', { app: '0x12' }), 400, /^app: /);
    expectRefused(await market('GET', '/apporders', {}), 400, /app or appOwner is required/);
    expectRefused(await market('GET', '/datasetorders', { app: s.app }), 400, /dataset or datasetOwner is required/);
    expectRefused(await market('GET', '/apporders', { app: s.app, pageSize: 5 }), 400, /pageSize/);
    expectRefused(await market('GET', '/apporders', { app: s.app, isDatasetStrict: 'yes' }), 400, /isDatasetStrict/);
    expectRefused(await market('GET', '/apporders', { app: s.app, minTag: '0x1' }), 400, /minTag/);
    expectRefused(await market('GET', '/apporders', { app: s.app, pageIndex: 100, pageSize: 1000 }), 400, /page too deep/);
    expectRefused(await market('GET', '/apporders/0x12'), 400, /bytes32/);
    expectRefused(
      await market('PUT', '/apporders', {}, { body: { target: 'unpublish_everything' }, authorization: await authorizationOf(publisher) }),
      400,
      /target/,
    );
    expectRefused(
      await market(
        'PUT',
        '/apporders',
        {},
        { body: { target: 'unpublish_all', dataset: s.dataset }, authorization: await authorizationOf(publisher) },
      ),
      400,
      /app is required/,
    );
    const rows = await h.api.database.db
      .select()
      .from(orders)
      .where(inArray(orders.hash, [hash, forged.hash]));
    expect(rows).toEqual([]);

    // Other paths keep the API's own 404.
    const other = await fetch(`${origin}/nothing`);
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: 'not found: the API is under /trpc' });
  });
});

type Deal = { dealid: string; botFirst: number; botSize: number; workerpoolHash: string };

describe('the market API door: deals', () => {
  it('finds the deals matched on the chain by requester and by order hash, newest first, in pages', async () => {
    const prices = { app: 3n, dataset: 2n, workerpool: 10n };
    const d = await prepareTeeScenario(h.chain, { volume: 11n, prices });
    const { requester, publisher, dataOwner, scheduler } = h.chain.accounts;
    // Eleven deals on one request order: a workerpool order of volume 1 each (botFirst 0 to 10).
    const made: { dealId: string; workerpoolHash: string }[] = [];
    const domain = await getPocoDomain(h.api.services.poco);
    for (let i = 0; i < 11; i++) {
      const workerpoolOrder = await signOrder(h.chain.client('scheduler'), {
        kind: 'workerpool',
        order: buildWorkerpoolOrder({ workerpool: d.workerpool, workerpoolprice: prices.workerpool, tag: TDX_TAG }),
      });
      const { dealId } = await matchOrders(h.chain.client('requester'), { ...d, workerpoolOrder });
      made.push({ dealId, workerpoolHash: hashOrder({ domain, kind: 'workerpool', order: workerpoolOrder }).toLowerCase() });
    }
    await h.synced();
    const appHash = hashOrder({ domain, kind: 'app', order: d.appOrder }).toLowerCase();
    const datasetHash = hashOrder({ domain, kind: 'dataset', order: d.datasetOrder }).toLowerCase();
    const requestHash = hashOrder({ domain, kind: 'request', order: d.requestOrder }).toLowerCase();
    const idsOf = (answer: Answer) => (answer.body.deals as Deal[]).map((deal) => deal.dealid);
    const newestFirst = made.map((m) => m.dealId).reverse();

    const first = await market('GET', '/deals', { requester: requester.address, app: d.app, pageSize: 10 });
    expect(first).toMatchObject({ status: 200, body: { ok: true, count: 11, nextPage: 1 } });
    expect(idsOf(first)).toEqual(newestFirst.slice(0, 10));
    const second = await market('GET', '/deals', { requester: requester.address, app: d.app, pageSize: 10, pageIndex: 1 });
    expect(second.body).toMatchObject({ ok: true, count: 11 });
    expect(second.body.nextPage).toBeUndefined();
    expect(idsOf(second)).toEqual(newestFirst.slice(10));
    // The deal as iExec's PaginableDeals declares it: numbers where numbers, EIP-55 addresses.
    expect((second.body.deals as Deal[])[0]).toEqual({
      chainId: h.chain.chainId,
      dealid: made[0]?.dealId,
      app: { pointer: getAddress(d.app), owner: getAddress(publisher.address), price: 3 },
      dataset: { pointer: getAddress(d.dataset), owner: getAddress(dataOwner.address), price: 2 },
      workerpool: { pointer: getAddress(d.workerpool), owner: getAddress(scheduler.address), price: 10 },
      appHash,
      datasetHash,
      workerpoolHash: made[0]?.workerpoolHash,
      requestHash,
      requester: getAddress(requester.address),
      beneficiary: getAddress(requester.address),
      callback: zeroAddress,
      params: d.requestOrder.params,
      category: 0,
      tag: TDX_TAG,
      trust: 1,
      volume: 1,
      botFirst: 0,
      botSize: 1,
      startTime: expect.any(Number),
      workerStake: expect.any(Number),
      schedulerRewardRatio: expect.any(Number),
      blockNumber: expect.any(Number),
      blockTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      publicationTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
    });

    // By each order hash: the request's eleven deals cover its tasks 0 to 10 (dataprotector adds botFirst + i).
    for (const query of [{ apporderHash: appHash }, { datasetorderHash: datasetHash }, { requestorderHash: requestHash }]) {
      const found = await market('GET', '/deals', { ...query, pageSize: 20 });
      expect(found.body).toMatchObject({ ok: true, count: 11 });
      expect(idsOf(found)).toEqual(newestFirst);
      const slots = (found.body.deals as Deal[]).flatMap((deal) => Array.from({ length: deal.botSize }, (_, i) => deal.botFirst + i));
      expect(slots.sort((a, b) => a - b)).toEqual([...Array(11).keys()]);
    }
    const third = made[3];
    const one = await market('GET', '/deals', { workerpoolorderHash: third?.workerpoolHash });
    expect(one.body).toMatchObject({ ok: true, count: 1, deals: [{ dealid: third?.dealId, botFirst: 3, botSize: 1 }] });
    expect(await market('GET', '/deals', { requester: requester.address, dataset: s.dataset })).toMatchObject({
      body: { ok: true, count: 0, deals: [] },
    });
    expect(await market('GET', '/deals', { requester: requester.address, app: d.app, category: 1 })).toMatchObject({ body: { count: 0 } });
    expect(await market('GET', '/deals', { requester: publisher.address })).toMatchObject({ body: { ok: true, count: 0 } });
    expect((await market('GET', '/deals', { requester: requester.address, workerpool: d.workerpool })).body.count).toBeGreaterThanOrEqual(
      11,
    );
  });

  it('refuses a bad deals query', async () => {
    const refused = async (query: Record<string, string | number>, error: RegExp) => {
      const answer = await market('GET', '/deals', query);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ ok: false, error: expect.stringMatching(error) });
    };
    const requester = h.chain.accounts.requester.address;
    await refused({ app: s.app }, /requester or an order hash/);
    await refused({ requester: '0x12' }, /^requester: /);
    await refused({ apporderHash: '0x12' }, /^apporderHash: /);
    await refused({ requester, pageSize: 5 }, /pageSize/);
    await refused({ requester, chainId: 1 }, /chainId 1 is not served here/);
    await refused({ requester, pageIndex: 100, pageSize: 1000 }, /page too deep/);
    expect((await market('POST', '/deals', {}, { body: {} })).status).toBe(404);
  });

  it('lets a browser wallet on an allowed origin publish and unpublish (CORS preflight)', async () => {
    const server = await startApiServer({ services: h.api.services, allowedOrigins: ['https://wallet.example'], cacheTtlMs: 60_000 });
    try {
      const preflight = (from: string) =>
        fetch(`http://127.0.0.1:${server.port}/apporders?chainId=${h.chain.chainId}`, {
          method: 'OPTIONS',
          headers: { origin: from, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization' },
        });
      const allowed = await preflight('https://wallet.example');
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://wallet.example');
      expect(allowed.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT');
      expect(allowed.headers.get('access-control-allow-headers')).toMatch(/\bauthorization\b/);
      const other = await preflight('https://elsewhere.example');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      expect(other.headers.get('access-control-allow-methods')).toBeNull();
      // A shared (cached) list answer keeps its JSON type: iExec's SDK refuses it otherwise.
      const list = () => fetch(`http://127.0.0.1:${server.port}/apporders?chainId=${h.chain.chainId}&app=${s.app}`);
      await list();
      const shared = await list();
      expect(shared.headers.get('x-cache')).toBe('hit');
      expect(shared.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await shared.json()).toMatchObject({ ok: true });
    } finally {
      await server.close();
    }
  });
});
