import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBlob, cat } from '../test/storageClient.js';
import { StorageStartError } from './errors.js';
import { startStorage, type DevnetStorage } from './storage.js';

const HELLO = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o';
/** A CID of nothing ever added. */
const ABSENT = CID.createV0(await sha256.digest(new TextEncoder().encode('never added'))).toString();

let storage: DevnetStorage;
beforeAll(async () => {
  storage = await startStorage();
});
afterAll(() => storage.stop());

const post = (path: string, init: RequestInit = {}) => fetch(`${storage.apiUrl}${path}`, { method: 'POST', ...init });

describe('the gateway', () => {
  it('serves what was added, with its length, under its CIDv0 and its CIDv1', async () => {
    await addBlob(storage, 'hello world\n');
    const got = await cat(storage, HELLO);
    expect(got.status).toBe(200);
    expect(got.text).toBe('hello world\n');
    expect(got.headers.get('content-length')).toBe('12');
    expect(got.headers.get('content-type')).toBe('application/octet-stream');
    expect(got.headers.get('etag')).toBe(`"${HELLO}"`);
    expect((await cat(storage, CID.parse(HELLO).toV1().toString())).text).toBe('hello world\n');
  });

  it('answers HEAD with the length and no body', async () => {
    await addBlob(storage, 'hello world\n');
    const head = await cat(storage, HELLO, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('12');
    expect(head.bytes.length).toBe(0);
  });

  it('serves an empty file', async () => {
    const added = await addBlob(storage, '');
    const got = await cat(storage, (added.json as { Hash: string }).Hash);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-length')).toBe('0');
  });

  it('answers 404 at once for content it does not hold, without asking a network', async () => {
    const started = performance.now();
    const got = await cat(storage, ABSENT);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(got.status).toBe(404);
    expect(got.json).toEqual({
      error: { name: 'ContentNotFoundError', message: `${ABSENT} is not in the local IPFS storage`, hints: [expect.any(String)] },
    });
    expect((await cat(storage, ABSENT, 'HEAD')).status).toBe(404);
  });

  it('survives a client that goes away mid-download, and keeps serving', async () => {
    const added = await addBlob(
      storage,
      new Uint8Array(8 * 1024 * 1024).map((_, i) => i % 251),
    );
    const hash = (added.json as { Hash: string }).Hash;
    await new Promise<void>((resolve, reject) => {
      const incoming = request(`${storage.gatewayUrl}/ipfs/${hash}`, (response) => {
        response.once('data', () => {
          incoming.destroy();
          resolve();
        });
      });
      incoming.on('error', (error) => (incoming.destroyed ? undefined : reject(error)));
      incoming.end();
    });
    const again = await cat(storage, hash);
    expect(again.bytes.length).toBe(8 * 1024 * 1024);
    expect(again.bytes[1000]).toBe(1000 % 251);
  });

  it('answers 400 for what is not a CID, or a path inside one', async () => {
    const got = await cat(storage, 'not-a-cid');
    expect(got.status).toBe(400);
    expect(got.json).toMatchObject({ error: { name: 'StorageRequestError', message: '"not-a-cid" is not a CID' } });
    expect((await cat(storage, `${HELLO}/inner/path`)).status).toBe(400);
  });
});

describe('POST /api/v0/add', () => {
  it('adds every file of the body and answers a line for each', async () => {
    const form = new FormData();
    form.append('file', new Blob(['hello world\n']), 'hello.txt');
    form.append('file', new Blob(['hello\n']), 'dir/hello 2.txt');
    const response = await post('/api/v0/add?pin=true', { body: form });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const lines = (await response.text()).split('\n');
    expect(lines.slice(0, 2).map((line) => JSON.parse(line))).toEqual([
      { Name: 'hello.txt', Hash: HELLO, Size: '20' },
      { Name: 'dir/hello 2.txt', Hash: 'QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN', Size: '14' },
    ]);
    expect(lines[2]).toBe('');
  });

  it("answers 400 with the error's name and message for a body or options it cannot use", async () => {
    const json = await post('/api/v0/add', { body: '{}', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({
      error: { name: 'StorageRequestError', message: 'expected a multipart/form-data body, got "application/json"' },
    });

    const multipart = { 'content-type': 'multipart/form-data; boundary=b' };
    const empty = await post('/api/v0/add', { body: '--b--\r\n', headers: multipart });
    expect(await empty.json()).toMatchObject({ error: { message: 'the multipart body has no file' } });
    const truncated = await post('/api/v0/add', {
      body: '--b\r\ncontent-disposition: form-data; name="file"\r\n\r\nhalf a file',
      headers: multipart,
    });
    expect(truncated.status).toBe(400);
    expect(await truncated.json()).toMatchObject({
      error: { message: 'the multipart body is malformed: it ends before its closing boundary' },
    });
    const directory = await post('/api/v0/add', {
      body: '--b\r\ncontent-type: application/x-directory\r\n\r\n\r\n--b--\r\n',
      headers: multipart,
    });
    expect(directory.status).toBe(400);

    const form = new FormData();
    form.append('file', new Blob(['x']));
    const options = await post('/api/v0/add?cid-version=3', { body: form });
    expect(options.status).toBe(400);
    expect(await options.json()).toMatchObject({ error: { message: 'invalid add options: cid-version must be 0 or 1' } });
  });

  it('lets pages of any origin upload and read (browsers protect data here directly)', async () => {
    const preflight = await fetch(`${storage.apiUrl}/api/v0/add`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:3000', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const form = new FormData();
    form.append('file', new Blob(['hello world\n']), 'hello.txt');
    const added = await post('/api/v0/add', { body: form, headers: { origin: 'http://127.0.0.1:3000' } });
    expect(added.headers.get('access-control-allow-origin')).toBe('*');
    const read = await fetch(`${storage.gatewayUrl}/ipfs/${HELLO}`);
    expect(read.headers.get('access-control-allow-origin')).toBe('*');
    const refused = await fetch(`${storage.apiUrl}/api/v0/add`);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('takes POST only, and knows no other route', async () => {
    const get = await fetch(`${storage.apiUrl}/api/v0/add`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toMatchObject({ error: { name: 'MethodNotAllowedError' } });
    const other = await post('/api/v0/cat?arg=x');
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ error: { name: 'StorageRouteError' } });
  });

  it('survives a client that goes away mid-upload, and keeps serving', async () => {
    const outgoing = request(`${storage.apiUrl}/api/v0/add`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=b', 'transfer-encoding': 'chunked' },
    });
    outgoing.on('error', () => undefined);
    outgoing.write('--b\r\ncontent-disposition: form-data; name="file"; filename="big"\r\n\r\n');
    for (let i = 0; i < 16; i++) outgoing.write(new Uint8Array(262_144).fill(i));
    await new Promise((resolve) => setTimeout(resolve, 200));
    outgoing.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await addBlob(storage, 'hello world\n')).json).toMatchObject({ Hash: HELLO });
  });
});

describe('startStorage', () => {
  it('keeps what was added in its data directory across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'confidant-storage-test-'));
    try {
      const first = await startStorage({ dataDir });
      await addBlob(first, 'kept across restarts\n');
      const hash = (await addBlob(first, 'kept across restarts\n')).json as { Hash: string };
      await first.stop();
      const second = await startStorage({ dataDir });
      try {
        expect((await cat(second, hash.Hash)).text).toBe('kept across restarts\n');
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('stops once, cutting what is in progress, and then refuses connections', async () => {
    const other = await startStorage();
    const outgoing = request(`${other.apiUrl}/api/v0/add`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=b', 'transfer-encoding': 'chunked' },
    });
    outgoing.on('error', () => undefined);
    outgoing.write('--b\r\n\r\n');
    outgoing.write(new Uint8Array(1_000_000));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await Promise.all([other.stop(), other.stop()]);
    await expect(fetch(`${other.gatewayUrl}/ipfs/${HELLO}`)).rejects.toThrow();
  });

  it('says when its port is taken', async () => {
    const port = Number(new URL(storage.apiUrl).port);
    const error = await startStorage({ port }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageStartError);
    expect((error as StorageStartError).shortMessage).toMatch(new RegExp(`cannot listen on 127.0.0.1:${port}`));
  });
});
