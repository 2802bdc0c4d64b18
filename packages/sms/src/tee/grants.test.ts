import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantStatusUnavailableError } from './errors.js';
import { createGrantExpiryChecker } from './grants.js';

const hash = `0x${'cd'.repeat(32)}` as const;
let reply: (req: IncomingMessage) => { status: number; body: string };
const requests: string[] = [];
const server = createServer((req, res) => {
  requests.push(req.url ?? '');
  const { status, body } = reply(req);
  res.writeHead(status, { 'content-type': 'application/json' }).end(body);
});
let apiUrl: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const order = (expiresAt: string | null) =>
  JSON.stringify({ result: { data: { json: { hash, expiresAt }, meta: expiresAt ? { values: { expiresAt: ['Date'] } } : undefined } } });

describe('createGrantExpiryChecker', () => {
  it('asks tRPC orders.get with a superjson-shaped input and reads expiresAt', async () => {
    const grants = createGrantExpiryChecker({ apiUrl });
    reply = () => ({ status: 200, body: order('2030-01-02T03:04:05.000Z') });
    expect(await grants.expiryOf(hash)).toEqual({ enforced: true, published: true, expiresAt: new Date('2030-01-02T03:04:05.000Z') });
    const url = new URL(requests.at(-1) ?? '', 'http://x');
    expect(url.pathname).toBe('/trpc/orders.get');
    expect(JSON.parse(url.searchParams.get('input') ?? '')).toEqual({ json: { hash } });
    reply = () => ({ status: 200, body: order(null) });
    expect(await grants.expiryOf(hash)).toEqual({ enforced: true, published: true, expiresAt: null });
  });

  it('reads an order the API says it does not know as unpublished (no expiry)', async () => {
    const notFound = (data: object) => () => ({
      status: 404,
      body: JSON.stringify({
        error: { json: { message: 'not known', code: -32004, data: { code: 'NOT_FOUND', httpStatus: 404, ...data } } },
      }),
    });
    reply = notFound({ errorName: 'NotIndexedError', fields: { what: 'order', id: hash } });
    expect(await createGrantExpiryChecker({ apiUrl }).expiryOf(hash)).toEqual({ enforced: true, published: false });
    // A 404 that is not the API's "not indexed" (a wrong path, a proxy, another service) never lifts the expiry.
    reply = notFound({});
    await expect(createGrantExpiryChecker({ apiUrl }).expiryOf(hash)).rejects.toThrow(/answered HTTP 404/);
    reply = notFound({ errorName: 'NotIndexedError', fields: { what: 'order' } });
    await expect(createGrantExpiryChecker({ apiUrl }).expiryOf(hash)).rejects.toBeInstanceOf(GrantStatusUnavailableError);
  });

  it('refuses to guess when the API fails, answers garbage, or cannot be reached', async () => {
    const grants = createGrantExpiryChecker({ apiUrl });
    reply = () => ({
      status: 500,
      body: JSON.stringify({ error: { json: { message: 'boom', data: { code: 'INTERNAL_SERVER_ERROR' } } } }),
    });
    await expect(grants.expiryOf(hash)).rejects.toThrow(/answered HTTP 500/);
    reply = () => ({ status: 404, body: '{"nothing":true}' });
    await expect(grants.expiryOf(hash)).rejects.toThrow(/answered HTTP 404/);
    reply = () => ({ status: 200, body: '{"result":{}}' });
    await expect(grants.expiryOf(hash)).rejects.toThrow(/something that is not an order/);
    reply = () => ({ status: 200, body: order('yesterday') });
    await expect(grants.expiryOf(hash)).rejects.toThrow(/unreadable expiry/);
    reply = () => ({ status: 200, body: 'not json' });
    await expect(grants.expiryOf(hash)).rejects.toThrow(/answered HTTP 200 without JSON/);
    await expect(grants.expiryOf(hash)).rejects.toBeInstanceOf(GrantStatusUnavailableError);
    await expect(createGrantExpiryChecker({ apiUrl: 'http://127.0.0.1:1/trpc' }).expiryOf(hash)).rejects.toThrow(/did not answer/);
  });

  it('enforces nothing without an API URL', async () => {
    expect(await createGrantExpiryChecker({ apiUrl: undefined }).expiryOf(hash)).toEqual({ enforced: false });
  });
});
