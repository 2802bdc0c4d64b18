import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requesterSecretChallenge, web2SecretChallenge, web3SecretChallenge } from '../src/challenges.js';
import { startSms } from '../src/startSms.js';
import { answer, type Harness, randomKey, sign, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

describe('the SMS server', () => {
  it('answers /health when the database and the chain answer', async () => {
    const response = await h.send('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, database: 'up', chain: 'up' });
    expect((await h.send('/health', { method: 'HEAD' })).status).toBe(200);
  });

  it('answers unknown routes and methods with a JSON error', async () => {
    const unknown = await h.send('/secrets/web4');
    expect(unknown.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await answer(unknown)).toMatchObject({
      status: 404,
      error: { name: 'RouteNotFoundError', message: 'no such endpoint: /secrets/web4' },
    });
    expect((await h.send('/nothing', { method: 'HEAD' })).status).toBe(404);
    const wrongMethod = await h.send('/secrets/web3?secretAddress=0x0000000000000000000000000000000000000001', { method: 'DELETE' });
    expect(wrongMethod.headers.get('allow')).toBe('HEAD, POST');
    expect(await answer(wrongMethod)).toMatchObject({ status: 405, error: { name: 'MethodNotAllowedError', hints: ['Use HEAD, POST.'] } });
    expect((await h.send('/secrets/web3?secretAddress=0x0000000000000000000000000000000000000001', { method: 'PUT' })).status).toBe(405);
  });

  it('lets a browser app call it (CORS: any origin, the Authorization header)', async () => {
    const preflight = await fetch(`${h.sms.url}/secrets/web3`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect((await h.send('/health')).headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses a streamed body (no Content-Length) once it passes 4096 bytes', async () => {
    const dataset = await h.createDataset();
    const chunk = new TextEncoder().encode('A'.repeat(1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const init = { method: 'POST', body, duplex: 'half', headers: { authorization: `0x${'11'.repeat(65)}` } } as RequestInit;
    const response = await fetch(`${h.sms.url}/secrets/web3?secretAddress=${dataset}`, init);
    expect(await answer(response)).toMatchObject({ status: 413, error: { name: 'SecretTooLargeError' } });
  });

  it('never logs a secret value or a signature, whatever the outcome', async () => {
    const { dataOwner, requester } = h.chain.accounts;
    const dataset = await h.createDataset();
    const written: string[] = [];
    const capture = (stream: NodeJS.WriteStream) => {
      const write = stream.write.bind(stream);
      return vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
        written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return write(chunk, ...rest);
      }) as typeof stream.write);
    };
    const spies = [capture(process.stdout), capture(process.stderr)];
    const logged = h.logs.length;
    const values: string[] = [];
    const signatures: string[] = [];
    const post = async (path: string, value: string, authorization: string, method = 'POST') => {
      values.push(value);
      signatures.push(authorization);
      return (await h.send(path, { method, body: value, authorization })).status;
    };
    try {
      const key = randomKey();
      const web3 = `/secrets/web3?secretAddress=${dataset}`;
      expect(await post(web3, key, await sign(requester, web3SecretChallenge({ secretAddress: dataset, value: key })))).toBe(401);
      expect(await post(web3, key, await sign(dataOwner, web3SecretChallenge({ secretAddress: dataset, value: key })))).toBe(204);
      expect(await post(web3, key, await sign(dataOwner, web3SecretChallenge({ secretAddress: dataset, value: key })))).toBe(409);
      expect(await post(web3, 'B'.repeat(5000), await sign(dataOwner, web3SecretChallenge({ secretAddress: dataset, value: 'x' })))).toBe(
        413,
      );
      expect(
        await post(web3, 'not base64 at all', await sign(dataOwner, web3SecretChallenge({ secretAddress: dataset, value: 'x' }))),
      ).toBe(400);
      expect(await post(web3, randomKey(), `0x${'ab'.repeat(64)}`)).toBe(400);
      const web2 = `/secrets/web2?ownerAddress=${requester.address}&secretName=token`;
      const token = `token-${randomKey()}`;
      expect(
        await post(
          web2,
          token,
          await sign(requester, web2SecretChallenge({ ownerAddress: requester.address, secretName: 'token', value: token })),
        ),
      ).toBe(204);
      const updated = `updated-${randomKey()}`;
      expect(
        await post(
          web2,
          updated,
          await sign(requester, web2SecretChallenge({ ownerAddress: requester.address, secretName: 'token', value: updated })),
          'PUT',
        ),
      ).toBe(204);
      const requesterValue = `requester-${randomKey()}`;
      const requesterPath = `/requesters/${requester.address}/secrets/k1`;
      expect(
        await post(
          requesterPath,
          requesterValue,
          await sign(requester, requesterSecretChallenge({ requesterAddress: requester.address, secretKey: 'k1', value: requesterValue })),
        ),
      ).toBe(204);
      // A client that put its secret in the path by mistake.
      const misplaced = randomKey().replace(/[+/=]/g, 'x');
      values.push(misplaced);
      expect((await h.send(`/secrets/web3/${misplaced}`, { method: 'POST', body: misplaced })).status).toBe(404);
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    const log = [...h.logs.slice(logged), ...written].join('\n');
    // The log did record these requests (so the search below searches something).
    expect(log).toContain('sms: POST /secrets/web3 204');
    expect(log).toContain('sms: POST /secrets/web3 401 WrongSignerError');
    expect(log).toContain('sms: POST (no route) 404 RouteNotFoundError');
    for (const secret of [...values, ...signatures]) {
      expect(log).not.toContain(secret);
      expect(log).not.toContain(secret.slice(2, 42));
    }
  });

  it('limits pushes per client (429 with Retry-After); presence checks are not limited', async () => {
    const limited = await startSms({
      network: 'local',
      rpcUrl: h.chain.rpcUrl,
      addresses: h.chain.addresses,
      masterKey: randomKey(),
      rateLimit: { requests: 2, windowMs: 60_000 },
      logger: { info: () => {}, error: () => {} },
    });
    try {
      const dataset = await h.createDataset();
      const post = () => fetch(`${limited.url}/secrets/web3?secretAddress=${dataset}`, { method: 'POST', body: 'eA==' });
      expect((await post()).status).toBe(401);
      expect((await post()).status).toBe(401);
      const refused = await post();
      expect(refused.headers.get('retry-after')).toBe('30');
      expect(await answer(refused)).toMatchObject({
        status: 429,
        error: { name: 'RateLimitedError', message: 'too many requests from this address; retry in 30 s' },
      });
      expect((await fetch(`${limited.url}/secrets/web2?ownerAddress=${dataset}&secretName=a`, { method: 'PUT', body: 'x' })).status).toBe(
        429,
      );
      for (let i = 0; i < 5; i++)
        expect((await fetch(`${limited.url}/secrets/web3?secretAddress=${dataset}`, { method: 'HEAD' })).status).toBe(404);
    } finally {
      await limited.stop();
    }
  });

  // Last: it stops the chain.
  it('says when the chain cannot be read (503), and /health says which part is down', async () => {
    const dataset = await h.createDataset();
    const key = randomKey();
    const authorization = await sign(h.chain.accounts.dataOwner, web3SecretChallenge({ secretAddress: dataset, value: key }));
    await h.chain.stop();
    const refused = await answer(await h.send(`/secrets/web3?secretAddress=${dataset}`, { method: 'POST', body: key, authorization }));
    expect(refused).toMatchObject({
      status: 503,
      error: { name: 'ChainUnavailableError', hints: ['Retry in a moment; if it persists, check the SMS chain RPC URL.'] },
    });
    const health = await h.send('/health');
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ ok: false, database: 'up', chain: 'down' });
    expect(h.logs.join('\n')).not.toContain(authorization.slice(2, 42));
  });
});
