import { type Api, startApi } from '@confidant/api';
import { matchOrders, type SignedWorkerpoolOrder, TDX_TAG, verifyOrder } from '@confidant/contracts';
import { createTestDb } from '@confidant/db/testing';
import { type LocalChain, startLocalChain } from '@confidant/local-chain';
import { prepareTeeScenario } from '@confidant/local-chain/testing';
import { createApiClient } from '@confidant/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrderbookKeeper, defaultOffer, type Worker } from '../src/index.js';
import { createSimulatedExecutor } from '../src/testing.js';
import { startTestWorker, waitFor, waitForDealTasks } from './harness.js';

/** The real marketplace API on the test chain, with a database of its own (an empty orderbook). */
async function startRealApi(): Promise<Api> {
  return startApi({
    network: 'local',
    rpcUrl: chain.rpcUrl,
    addresses: chain.addresses,
    database: await createTestDb(),
    indexerStartBlock: chain.startBlock,
    cacheTtlMs: 0,
  });
}

/** The workerpool's orders in the API's orderbook, open or not. */
async function workerpoolOrders(api: Api) {
  const { items } = await createApiClient(api.url).orders.list.query({
    kind: 'workerpool',
    subject: chain.workerpool.address,
    includeClosed: true,
    limit: 100,
  });
  return items.map((item) => item.order as SignedWorkerpoolOrder);
}

let chain: LocalChain;
beforeAll(async () => {
  chain = await startLocalChain();
});
afterAll(() => chain?.stop());

describe('the workerpool orderbook', () => {
  it('publishes a TEE workerpool order signed by the owner when none is open, and a requester can match it', async () => {
    // The orderbook keeps addresses lowercase; the signature covers them in any case.
    const api = await startRealApi();
    let worker: Worker | undefined;
    try {
      worker = await startTestWorker(chain, {
        executor: createSimulatedExecutor(),
        apiUrl: api.url,
        offer: { price: 500_000_000n, volume: 7n, category: 0n },
      });
      const [order] = await waitFor(
        async () => {
          const published = await workerpoolOrders(api);
          return published.length > 0 ? published : undefined;
        },
        20_000,
        'a published order',
      );
      expect(order).toMatchObject({
        workerpool: chain.workerpool.address.toLowerCase(),
        workerpoolprice: 500_000_000n,
        volume: 7n,
        category: 0n,
        trust: 0n,
        tag: TDX_TAG,
      });
      const verdict = await verifyOrder(chain.client(), { kind: 'workerpool', order: order as SignedWorkerpoolOrder });
      expect(verdict).toMatchObject({ valid: true, signer: chain.accounts.scheduler.address });

      // The order is real: matched with a requester's orders, its deal is run by the worker.
      const scenario = await prepareTeeScenario(chain);
      const { dealId } = await matchOrders(chain.client('requester'), { ...scenario, workerpoolOrder: order as SignedWorkerpoolOrder });
      const [row] = await waitForDealTasks(worker, dealId, 1, ['COMPLETED', 'FAILED']);
      expect(row?.status).toBe('COMPLETED');
    } finally {
      await worker?.stop();
      await api.stop();
    }
  });

  it('publishes nothing while an order of the workerpool is open', async () => {
    const api = await startRealApi();
    const queries: unknown[] = [];
    // What the keeper asks the API: tRPC puts a query's input in the URL.
    const recording: typeof fetch = (input, init) => {
      const url = new URL(String(input));
      if (url.pathname.endsWith('/orders.list')) queries.push(JSON.parse(url.searchParams.get('input') ?? '{}').json);
      return fetch(input, init);
    };
    try {
      const keeper = createOrderbookKeeper({
        apiUrl: api.url,
        owner: chain.client('scheduler'),
        workerpool: chain.workerpool.address,
        offer: defaultOffer,
        fetch: recording,
      });
      const first = await keeper.check();
      expect(queries[0]).toMatchObject({ kind: 'workerpool', subject: chain.workerpool.address, live: true });
      expect(first?.volume).toBe(100n);
      expect(await keeper.check()).toBeUndefined();
      expect(await workerpoolOrders(api)).toHaveLength(1);
    } finally {
      await api.stop();
    }
  });

  it('says so when the API cannot be reached', async () => {
    const keeper = createOrderbookKeeper({
      apiUrl: 'http://127.0.0.1:9/trpc',
      owner: chain.client('scheduler'),
      workerpool: chain.workerpool.address,
      offer: defaultOffer,
    });
    await expect(keeper.check()).rejects.toMatchObject({
      name: 'OrderPublicationError',
      shortMessage: 'the workerpool order could not be published: the orderbook could not be read',
    });
  });
});
