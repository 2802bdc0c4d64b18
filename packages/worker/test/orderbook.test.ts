import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchOrders, type SignedWorkerpoolOrder, TDX_TAG, verifyOrder } from '@confidant/contracts';
import { type LocalChain, startLocalChain } from '@confidant/local-chain';
import { prepareTeeScenario } from '@confidant/local-chain/testing';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrderbookKeeper, defaultOffer, type Worker } from '../src/index.js';
import { createSimulatedExecutor } from '../src/testing.js';
import { startTestWorker, waitFor, waitForDealTasks } from './harness.js';

/** A stand-in for the marketplace API: tRPC's wire format (superjson) for orders.list and orders.publish. */
function startApiStub() {
  const published: SignedWorkerpoolOrder[] = [];
  const queries: unknown[] = [];
  let open = false;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://api.invalid');
    const answer = (data: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ result: { data: superjson.serialize(data) } }));
    };
    if (req.method === 'GET' && url.pathname === '/trpc/orders.list') {
      queries.push(superjson.deserialize(JSON.parse(url.searchParams.get('input') ?? '{}')));
      answer({ items: open ? published.map((order) => ({ hash: '0x01', remaining: order.volume, order: { ...order, category: order.category.toString() } })) : [], nextCursor: undefined });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/trpc/orders.publish') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const input = superjson.deserialize<{ kind: string; order: SignedWorkerpoolOrder }>(JSON.parse(body));
        published.push(input.order);
        answer({ hash: '0x01' });
      });
      return;
    }
    res.writeHead(404).end();
  });
  return {
    published,
    queries,
    setOpen: (value: boolean) => void (open = value),
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let chain: LocalChain;
beforeAll(async () => {
  chain = await startLocalChain();
});
afterAll(() => chain?.stop());

describe('the workerpool orderbook', () => {
  it('publishes a TEE workerpool order signed by the owner when none is open, and a requester can match it', async () => {
    const api = startApiStub();
    const apiUrl = await api.listen();
    let worker: Worker | undefined;
    try {
      worker = await startTestWorker(chain, { executor: createSimulatedExecutor(), apiUrl, offer: { price: 500_000_000n, volume: 7n, category: 0n } });
      const [order] = await waitFor(async () => (api.published.length > 0 ? api.published : undefined), 20_000, 'a published order');
      expect(api.queries[0]).toMatchObject({ kind: 'workerpool', subject: chain.workerpool.address, live: true });
      expect(order).toMatchObject({ workerpool: chain.workerpool.address, workerpoolprice: 500_000_000n, volume: 7n, category: 0n, trust: 0n, tag: TDX_TAG });
      const verdict = await verifyOrder(chain.client(), { kind: 'workerpool', order: order as SignedWorkerpoolOrder });
      expect(verdict).toMatchObject({ valid: true, signer: chain.accounts.scheduler.address });

      // The order is real: matched with a requester's orders, its deal is run by the worker.
      const scenario = await prepareTeeScenario(chain);
      const { dealId } = await matchOrders(chain.client('requester'), { ...scenario, workerpoolOrder: order as SignedWorkerpoolOrder });
      const [row] = await waitForDealTasks(worker, dealId, 1, ['COMPLETED', 'FAILED']);
      expect(row?.status).toBe('COMPLETED');
    } finally {
      await worker?.stop();
      await api.close();
    }
  });

  it('publishes nothing while an order of the workerpool is open', async () => {
    const api = startApiStub();
    const apiUrl = await api.listen();
    try {
      const keeper = createOrderbookKeeper({ apiUrl, owner: chain.client('scheduler'), workerpool: chain.workerpool.address, offer: defaultOffer });
      const first = await keeper.check();
      expect(first?.volume).toBe(100n);
      api.setOpen(true);
      expect(await keeper.check()).toBeUndefined();
      expect(api.published).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  it('says so when the API cannot be reached', async () => {
    const keeper = createOrderbookKeeper({ apiUrl: 'http://127.0.0.1:9/trpc', owner: chain.client('scheduler'), workerpool: chain.workerpool.address, offer: defaultOffer });
    await expect(keeper.check()).rejects.toMatchObject({ name: 'OrderPublicationError', shortMessage: 'the workerpool order could not be published: the orderbook could not be read' });
  });
});
