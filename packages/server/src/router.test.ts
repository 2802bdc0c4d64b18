import { request } from 'node:http';
import { BaseError } from '@confidant/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJson } from './json.js';
import { type Listening, listen } from './listen.js';
import { createLineLogger } from './logger.js';
import { compileTemplate, createRouter, type Route, type RouterOptions } from './router.js';

class SlowDownError extends BaseError {
  override name = 'SlowDownError';
  constructor() {
    super('too many requests; retry in 30 s', { hints: ['Wait 30 s.'], kind: 'unavailable' });
  }
}

class ShelfMissingError extends BaseError {
  override name = 'ShelfMissingError';
  constructor(shelf: string) {
    super(`no shelf ${shelf}`, { hints: ['Ask GET /shelves/{shelf}/books for a shelf that exists.'], kind: 'not-found' });
  }
}

type Library = { library: { shelves: Map<string, string[]> } };

const routes: Route<Library>[] = [
  { template: '/health', handlers: { GET: ({ res }) => sendJson(res, 200, { ok: true }) } },
  {
    template: '/shelves/{shelf}/books',
    handlers: {
      GET: ({ res, params, library }) => {
        const books = library.shelves.get(params[0] as string);
        if (!books) throw new ShelfMissingError(params[0] as string);
        sendJson(res, 200, { shelf: params[0], books });
      },
      HEAD: ({ res }) => sendJson(res, 200, {}),
    },
  },
  { template: '/boom', handlers: { GET: () => Promise.reject(new Error('database password=hunter2 refused')) } },
  {
    template: '/slow',
    handlers: {
      GET: async ({ req }) => {
        await new Promise((resolve) => req.socket.once('close', resolve));
        throw new Error('aborted');
      },
    },
  },
  {
    template: '/stream',
    handlers: {
      GET: async ({ res }) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first part');
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new SlowDownError();
      },
    },
  },
];

const open: Listening[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((served) => served.close()));
});

async function serveLibrary(overrides: Partial<RouterOptions<Library>> = {}) {
  const lines: string[] = [];
  const logger = createLineLogger({ info: (line) => lines.push(line), error: (line) => lines.push(`ERROR ${line}`) });
  const library = {
    shelves: new Map([
      ['poetry', ['Leaves of Grass']],
      ['a b', ['Spaced Out']],
    ]),
  };
  const served = await listen(createRouter<Library>({ name: 'library', routes, context: { library }, logger, ...overrides }));
  open.push(served);
  return { served, lines };
}

/** A raw request: the target is sent as is (fetch would normalise it). */
function raw(
  url: string,
  target: string,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const outgoing = request({ host: hostname, port, path: target, method }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('createRouter', () => {
  it('serves a route by method and path, with its decoded segments and the context', async () => {
    const { served, lines } = await serveLibrary();
    const got = await fetch(`${served.url}/shelves/poetry/books?sort=title`);
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual({ shelf: 'poetry', books: ['Leaves of Grass'] });
    expect(await (await fetch(`${served.url}/shelves/a%20b/books`)).json()).toEqual({ shelf: 'a b', books: ['Spaced Out'] });
    // The log names the route template, never the request's path or query.
    expect(lines[0]).toMatch(/^library: GET \/shelves\/\{shelf\}\/books 200 \d+ms$/);
  });

  it('answers a thrown BaseError as JSON with the status of its kind', async () => {
    const { served, lines } = await serveLibrary();
    const got = await fetch(`${served.url}/shelves/history/books`);
    expect(got.status).toBe(404);
    expect(got.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await got.json()).toEqual({
      error: { name: 'ShelfMissingError', message: 'no shelf history', hints: ['Ask GET /shelves/{shelf}/books for a shelf that exists.'] },
    });
    expect(lines[0]).toMatch(/^library: GET \/shelves\/\{shelf\}\/books 404 ShelfMissingError \d+ms$/);
  });

  it('answers unknown paths 404 and unknown methods 405 with Allow', async () => {
    const { served, lines } = await serveLibrary();
    const unknown = await fetch(`${served.url}/nothing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: {
        name: 'RouteNotFoundError',
        message: 'no such endpoint: GET /nothing',
        hints: [
          'This server serves GET /health, GET /shelves/{shelf}/books, HEAD /shelves/{shelf}/books, GET /boom, GET /slow, GET /stream.',
        ],
      },
    });
    const wrong = await fetch(`${served.url}/shelves/poetry/books`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
    expect(await wrong.json()).toEqual({
      error: { name: 'MethodNotAllowedError', message: 'DELETE is not served on /shelves/{shelf}/books', hints: ['Use GET, HEAD.'] },
    });
    expect(lines).toEqual([
      expect.stringMatching(/^library: GET \(no route\) 404 RouteNotFoundError \d+ms$/),
      expect.stringMatching(/^library: DELETE \/shelves\/\{shelf\}\/books 405 MethodNotAllowedError \d+ms$/),
    ]);
  });

  it('lets a service name its refusals, and answer unknown methods as unknown routes', async () => {
    class NoSuchEndpointError extends BaseError {
      override name = 'NoSuchEndpointError';
      constructor(method: string, path: string) {
        super(`the library has no ${method} ${path}`, { hints: ['See its docs.'], kind: 'not-found' });
      }
    }
    const { served } = await serveLibrary({
      refusals: {
        notFound: ({ method, path }) => new NoSuchEndpointError(method, path),
        methodNotAllowed: 'not-found',
        invalidPath: ({ target, reason }) => new BaseError(`"${target}" ${reason}`, { hints: ['Fix the path.'], kind: 'invalid-input' }),
      },
    });
    const wrong = await fetch(`${served.url}/health`, { method: 'POST' });
    expect(wrong.status).toBe(404);
    expect(wrong.headers.get('allow')).toBeNull();
    expect(await wrong.json()).toMatchObject({ error: { name: 'NoSuchEndpointError', message: 'the library has no POST /health' } });
    const bad = await raw(served.url, '/shelves/%E0%A4%A/books');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: { message: '"/shelves/%E0%A4%A/books" is not valid percent-encoding' } });
  });

  it('answers 400 to a target that is not a path or not valid percent-encoding', async () => {
    const { served } = await serveLibrary();
    for (const target of ['//', '/shelves/%E0%A4%A/books']) {
      const answer = await raw(served.url, target);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { name: 'InvalidRequestPathError' } });
    }
  });

  it('answers an unexpected failure 500 without its details, and logs it redacted', async () => {
    const { served, lines } = await serveLibrary();
    const got = await fetch(`${served.url}/boom`);
    expect(got.status).toBe(500);
    const body = await got.text();
    expect(JSON.parse(body)).toEqual({
      error: {
        name: 'InternalServerError',
        message: 'the library failed to process the request',
        hints: ["Retry; if it persists, the library's operator will find the failure in its log."],
      },
    });
    expect(lines.join('\n')).not.toContain('hunter2');
    expect(lines[0]).toBe(`ERROR library: GET /boom failed: Error: database password=[redacted] refused`);
    expect(lines[1]).toMatch(/^library: GET \/boom 500 InternalServerError \d+ms$/);
  });

  it('cuts the connection when a failure comes after the answer started', async () => {
    const { served, lines } = await serveLibrary();
    const error = await raw(served.url, '/stream').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ECONNRESET' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines).toContainEqual(expect.stringMatching(/^ERROR library: GET \/stream failed: SlowDownError: too many requests/));
  });

  it('does not log as a failure what a client that left made fail', async () => {
    const { served, lines } = await serveLibrary();
    const abort = new AbortController();
    const asked = fetch(`${served.url}/slow`, { signal: abort.signal }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    abort.abort();
    expect(await asked).toMatchObject({ name: 'AbortError' });
    for (let waited = 0; lines.length === 0 && waited < 2_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(lines).toEqual([expect.stringMatching(/^library: GET \/slow 500 InternalServerError \d+ms$/)]);
  });

  it('answers CORS preflights on any path and lets any origin read every answer', async () => {
    const { served, lines } = await serveLibrary({
      cors: { methods: ['GET', 'HEAD', 'POST'], headers: ['authorization', 'content-type'] },
    });
    const preflight = await fetch(`${served.url}/anything`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:3000', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    expect(preflight.headers.get('access-control-max-age')).toBe('600');
    expect((await fetch(`${served.url}/health`)).headers.get('access-control-allow-origin')).toBe('*');
    expect((await fetch(`${served.url}/nothing`)).headers.get('access-control-allow-origin')).toBe('*');
    expect(lines[0]).toMatch(/^library: OPTIONS \(no route\) 204 \d+ms$/);
    const plain = await serveLibrary();
    expect((await fetch(`${plain.served.url}/health`)).headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${plain.served.url}/health`, { method: 'OPTIONS' })).status).toBe(405);
  });

  it("runs the guard before the handler, with the service's statuses and headers for its refusals", async () => {
    let calls = 0;
    const { served } = await serveLibrary({
      guard: ({ method }) => {
        if (method === 'GET' && ++calls > 1) throw new SlowDownError();
      },
      status: (error) => (error instanceof SlowDownError ? 429 : undefined),
      errorHeaders: (error) => (error instanceof SlowDownError ? { 'retry-after': '30' } : undefined),
      statuses: { 'not-found': 410 },
    });
    expect((await fetch(`${served.url}/shelves/history/books`)).status).toBe(410);
    const limited = await fetch(`${served.url}/health`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(await limited.json()).toEqual({
      error: { name: 'SlowDownError', message: 'too many requests; retry in 30 s', hints: ['Wait 30 s.'] },
    });
    // The router's own refusals keep their statuses whatever the overrides.
    expect((await fetch(`${served.url}/nothing`)).status).toBe(404);
  });

  it('logs only failures without the access log', async () => {
    const { served, lines } = await serveLibrary({ accessLog: false });
    await fetch(`${served.url}/health`);
    await fetch(`${served.url}/boom`);
    expect(lines).toEqual(['ERROR library: GET /boom failed: Error: database password=[redacted] refused']);
  });
});

describe('compileTemplate', () => {
  it('makes each {name} one segment and matches the whole path', () => {
    const pattern = compileTemplate('/requesters/{requester}/secrets/{key}');
    expect(pattern.exec('/requesters/0xabc/secrets/k1')?.slice(1)).toEqual(['0xabc', 'k1']);
    expect(pattern.test('/requesters/0xabc/secrets/k1/more')).toBe(false);
    expect(pattern.test('/requesters//secrets/k1')).toBe(false);
    expect(compileTemplate('/api/v0/add').test('/api/v0/add')).toBe(true);
    expect(compileTemplate('/a.b').test('/axb')).toBe(false);
  });
});
