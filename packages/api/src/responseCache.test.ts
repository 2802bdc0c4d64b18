import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResponseCache, type ResponseCache } from './responseCache.js';

let base: string;
let computed = 0;
let close: () => Promise<void>;
let cache: ResponseCache;
beforeAll(async () => {
  cache = createResponseCache({ ttlMs: 300 });
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    computed++;
    // A slow handler, so that concurrent identical requests overlap.
    setTimeout(() => {
      const status = req.url?.includes('missing') ? 404 : 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ n: computed, url: req.url }));
    }, 150);
  };
  const server = createServer((req, res) => cache.serve(req, res, handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(() => close?.());

const input = (json: unknown) => `?input=${encodeURIComponent(JSON.stringify({ json }))}`;

describe('the shared-answer cache', () => {
  it('computes identical public reads once, in flight and within the TTL', async () => {
    const before = computed;
    const url = `${base}/trpc/apps.list${input({ q: 'a' })}`;
    const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(url).then((r) => r.json())));
    expect(computed - before).toBe(1);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    const again = await fetch(url);
    expect(again.headers.get('x-cache')).toBe('hit');
    expect(computed - before).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 350));
    // Expired: the first request recomputes; one arriving meanwhile gets the previous answer at once.
    const [fresh, stale] = await Promise.all([
      fetch(url).then((r) => r.json()),
      new Promise((resolve) => setTimeout(resolve, 20)).then(() => fetch(url)).then((r) => r.json()),
    ]);
    expect(computed - before).toBe(2);
    expect(stale).toEqual(answers[0]);
    expect(fresh).not.toEqual(answers[0]);
  });

  it('forgets every shared answer after a write, and does not share one computed while it happened', async () => {
    const read = (q: string) => fetch(`${base}/trpc/apps.list${input({ q })}`).then((r) => r.json());
    const before = await read('forget');
    expect(await read('forget')).toEqual(before);
    const during = read('forget-during');
    await new Promise((resolve) => setTimeout(resolve, 30));
    cache.forget();
    expect(await read('forget')).not.toEqual(before);
    const computedDuring = await during;
    expect(await read('forget-during')).not.toEqual(computedDuring);
  });

  it('never shares signed-in, live, mutating, batched, unknown or failed requests', async () => {
    const count = async (path: string, init?: RequestInit) => {
      const before = computed;
      await fetch(base + path, init);
      await fetch(base + path, init);
      return computed - before;
    };
    expect(await count(`/trpc/auth.session${input(null)}`)).toBe(2);
    expect(await count(`/trpc/apps.list${input({ q: 'b' })}`, { headers: { authorization: 'Bearer abcdefghijklmnopqrstuvwxyz' } })).toBe(2);
    expect(await count(`/trpc/apps.list${input({ q: 'c' })}`, { headers: { cookie: 'confidant_session=abc' } })).toBe(2);
    expect(await count(`/trpc/orders.list${input({ kind: 'dataset', live: true })}`)).toBe(2);
    expect(await count(`/trpc/apps.list,apps.get?batch=1&input=%7B%7D`)).toBe(2);
    expect(await count(`/trpc/orders.publish`, { method: 'POST', body: '{}' })).toBe(2);
    expect(await count(`/trpc/apps.get${input({ missing: true })}`)).toBe(2);
  });

  it("shares the market API door's list reads, never its challenges, writes or single orders", async () => {
    const count = async (path: string, init?: RequestInit) => {
      const before = computed;
      await fetch(base + path, init);
      await fetch(base + path, init);
      return computed - before;
    };
    expect(await count('/apporders?chainId=1&app=any')).toBe(1);
    expect(await count('/apporders?chainId=1&app=any&pageIndex=1')).toBe(1);
    expect(await count('/challenge?chainId=1&address=0x0000000000000000000000000000000000000001')).toBe(2);
    expect(await count(`/apporders/0x${'1'.repeat(64)}?chainId=1`)).toBe(2);
    expect(await count('/apporders?chainId=1', { method: 'POST', body: '{}' })).toBe(2);
    expect(await count('/apporders?chainId=1&app=any&x=1', { headers: { authorization: 'x' } })).toBe(2);
  });
});
