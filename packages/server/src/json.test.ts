import { BaseError, type BaseErrorKind } from '@confidant/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBody, httpStatuses, httpStatusOf, sendError, sendJson, sendNoContent } from './json.js';
import { type Listening, listen } from './listen.js';

class TaskGoneError extends BaseError {
  override name = 'TaskGoneError';
  constructor(kind: BaseErrorKind = 'not-found', hints: readonly string[] = ['Check the task id.']) {
    super('this worker has no task 0x12', { details: 'never in the body', hints, kind, cause: new Error('nor this') });
  }
}

describe('httpStatusOf', () => {
  it('maps every kind through the one table', () => {
    const expected: Record<BaseErrorKind, number> = {
      'invalid-input': 400,
      unauthenticated: 401,
      forbidden: 403,
      'not-found': 404,
      conflict: 409,
      unavailable: 503,
      internal: 500,
    };
    expect(httpStatuses).toEqual(expected);
    for (const [kind, status] of Object.entries(expected)) expect(httpStatusOf(new TaskGoneError(kind as BaseErrorKind))).toBe(status);
  });

  it('lets a service override an entry, and only that one', () => {
    const overrides = { unavailable: 502 };
    expect(httpStatusOf(new TaskGoneError('unavailable'), overrides)).toBe(502);
    expect(httpStatusOf(new TaskGoneError('not-found'), overrides)).toBe(404);
  });
});

describe('errorBody', () => {
  it('holds the name, the short message and the hints, never the details or the cause', () => {
    expect(errorBody(new TaskGoneError())).toEqual({
      error: { name: 'TaskGoneError', message: 'this worker has no task 0x12', hints: ['Check the task id.'] },
    });
    expect(errorBody(new TaskGoneError('not-found', []))).toEqual({
      error: { name: 'TaskGoneError', message: 'this worker has no task 0x12' },
    });
  });
});

describe('sendJson, sendNoContent and sendError on a real server', () => {
  let served: Listening;
  beforeAll(async () => {
    served = await listen((req, res) => {
      if (req.url === '/json') sendJson(res, 200, { ok: true, text: 'é' });
      else if (req.url === '/empty') sendNoContent(res);
      else if (req.url === '/limited') sendError(res, new TaskGoneError('unavailable'), { status: 429, headers: { 'retry-after': '30' } });
      else if (req.url === '/overridden') sendError(res, new TaskGoneError('unavailable'), { statuses: { unavailable: 502 } });
      else sendError(res, new TaskGoneError());
    });
  });
  afterAll(() => served?.close());

  it('answers JSON with its length, never cached, and no body to HEAD', async () => {
    const got = await fetch(`${served.url}/json`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(got.headers.get('cache-control')).toBe('no-store');
    expect(got.headers.get('content-length')).toBe(String(Buffer.byteLength('{"ok":true,"text":"é"}')));
    expect(await got.json()).toEqual({ ok: true, text: 'é' });
    const head = await fetch(`${served.url}/json`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(got.headers.get('content-length'));
    expect(await head.text()).toBe('');
  });

  it('answers 204 without a body', async () => {
    const got = await fetch(`${served.url}/empty`);
    expect(got.status).toBe(204);
    expect(got.headers.get('cache-control')).toBe('no-store');
    expect(await got.text()).toBe('');
  });

  it('answers a refusal with the status of its kind, a given one or an override, and its headers', async () => {
    const missing = await fetch(`${served.url}/missing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { name: 'TaskGoneError', message: 'this worker has no task 0x12', hints: ['Check the task id.'] },
    });
    const limited = await fetch(`${served.url}/limited`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect((await fetch(`${served.url}/overridden`)).status).toBe(502);
  });
});
