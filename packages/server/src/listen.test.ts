import { Agent, createServer, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ListenError } from './errors.js';
import { type Listening, listen } from './listen.js';
import { createLineLogger } from './logger.js';

const open: Listening[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((served) => served.close()));
});

async function serve(...args: Parameters<typeof listen>): Promise<Listening> {
  const served = await listen(...args);
  open.push(served);
  return served;
}

/** A GET that resolves with the status and body, or the client-side error when the connection is cut. */
function get(url: string, agent?: Agent): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const outgoing = request(url, { agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
    });
    outgoing.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
    outgoing.end();
  });
}

describe('listen', () => {
  it('serves a handler on loopback, on a free port by default', async () => {
    const served = await serve((_req, res) => res.end('ok'));
    expect(served.host).toBe('127.0.0.1');
    expect(served.port).toBeGreaterThan(0);
    expect(served.url).toBe(`http://127.0.0.1:${served.port}`);
    expect(await get(served.url)).toEqual({ status: 200, body: 'ok' });
  });

  it('writes an IPv6 address in brackets', async () => {
    const served = await serve((_req, res) => res.end('six'), { host: '::1' }).catch((error: unknown) => error);
    // Some containers have no IPv6 loopback: then listen says so with a typed error.
    if (served instanceof ListenError) return expect(served.code).toBe('EADDRNOTAVAIL');
    expect((served as Listening).url).toBe(`http://[::1]:${(served as Listening).port}`);
    expect(await get((served as Listening).url)).toEqual({ status: 200, body: 'six' });
  });

  it('closes idle keep-alive connections and cuts requests in progress, at once', async () => {
    const served = await listen((req, res) => {
      if (req.url === '/hang') res.writeHead(200).write('partial');
      else res.end('ok');
    });
    const agent = new Agent({ keepAlive: true });
    expect(await get(`${served.url}/ok`, agent)).toEqual({ status: 200, body: 'ok' });
    const idle = Object.values(agent.freeSockets).flat()[0];
    expect(idle).toBeDefined();
    const idleClosed = new Promise((resolve) => idle?.once('close', resolve));
    const hanging = get(`${served.url}/hang`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await served.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    await idleClosed;
    expect(await hanging).toEqual({ error: 'ECONNRESET' });
    expect(await get(served.url)).toEqual({ error: 'ECONNREFUSED' });
    // Closing again waits for the same close.
    await served.close();
    agent.destroy();
  });

  it('settles once every handler started has finished', async () => {
    let release: () => void = () => {};
    const done: string[] = [];
    const served = await listen(async (_req, res) => {
      res.end('answered first');
      await new Promise<void>((resolve) => (release = resolve));
      done.push('handler');
    });
    expect(await get(served.url)).toEqual({ status: 200, body: 'answered first' });
    await served.close();
    const settled = served.settled().then(() => done.push('settled'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toEqual([]);
    release();
    await settled;
    expect(done).toEqual(['handler', 'settled']);
  });

  it('says when the port is taken, and what to do', async () => {
    const first = await serve((_req, res) => res.end());
    const error = await listen((_req, res) => res.end(), { port: first.port }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ListenError);
    expect(error).toMatchObject({ code: 'EADDRINUSE', kind: 'unavailable', host: '127.0.0.1', port: first.port });
    expect((error as ListenError).shortMessage).toBe(`cannot listen on 127.0.0.1:${first.port}: the port is in use`);
    expect((error as ListenError).hints[0]).toContain(`Stop the process that listens on port ${first.port}`);
  });

  it('listens with a server made elsewhere', async () => {
    const served = await serve(createServer((_req, res) => res.end('own server')));
    expect(await get(served.url)).toEqual({ status: 200, body: 'own server' });
  });

  it('answers 500 when a handler throws, without its message, and logs it redacted', async () => {
    const lines: string[] = [];
    const logger = createLineLogger({ error: (line) => lines.push(line) });
    const served = await serve(
      (req) => {
        if (req.url === '/sync') throw new Error('token=abc123 rejected');
        return Promise.reject(new Error('password=hunter2 rejected'));
      },
      { logger },
    );
    for (const path of ['/sync', '/async']) {
      const answer = await get(`${served.url}${path}`);
      expect(answer).toMatchObject({ status: 500 });
      expect(JSON.parse((answer as { body: string }).body)).toMatchObject({
        error: { name: 'InternalServerError', message: 'the server failed to process the request' },
      });
    }
    expect(lines).toEqual([
      'http: GET request failed: Error: token=[redacted] rejected',
      'http: GET request failed: Error: password=[redacted] rejected',
    ]);
  });
});
