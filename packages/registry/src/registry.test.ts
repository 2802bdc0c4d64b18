import { request } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, canonicalJson, digestOf, mediaTypes } from '@confidant/oci';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevnetRegistry, startRegistry } from './startRegistry.js';

let registry: DevnetRegistry;
let small: DevnetRegistry;
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'confidant-registry-test-'));
  registry = await startRegistry();
  small = await startRegistry({ dataDir: join(work, 'small'), maxBlobBytes: 64 * 1024, maxManifestBytes: 1024 });
});
afterAll(async () => {
  await Promise.all([registry.stop(), small.stop()]);
  await rm(work, { recursive: true, force: true });
});

const call = (path: string, init: RequestInit = {}, on: DevnetRegistry = registry) => fetch(`${on.url}${path}`, init);
const bytes = (text: string) => new TextEncoder().encode(text);
const codeOf = async (response: Response) => ((await response.json()) as { errors: { code: string }[] }).errors[0]?.code;

async function pushBlob(content: Uint8Array, on = registry, name = 'test/blobs'): Promise<string> {
  const digest = digestOf(content);
  const response = await call(`/v2/${name}/blobs/uploads/?digest=${digest}`, { method: 'POST', body: content }, on);
  expect(response.status).toBe(201);
  return digest;
}

function manifestOf(config: { digest: string; size: number }, layers: { digest: string; size: number }[]): Uint8Array {
  return bytes(
    canonicalJson({
      schemaVersion: 2,
      mediaType: mediaTypes.ociManifest,
      config: { mediaType: mediaTypes.ociConfig, ...config },
      layers: layers.map((layer) => ({ mediaType: mediaTypes.ociLayer, ...layer })),
    }),
  );
}

describe('the registry API', () => {
  it('answers GET /v2/ with {} and its API version', async () => {
    const response = await call('/v2/');
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(await response.json()).toEqual({});
  });

  it('takes a blob in one POST and serves it with its digest and length', async () => {
    const digest = await pushBlob(bytes('hello blob'));
    const head = await call(`/v2/test/blobs/blobs/${digest}`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), head.headers.get('docker-content-digest')]).toEqual([200, '10', digest]);
    expect(await (await call(`/v2/test/blobs/blobs/${digest}`)).text()).toBe('hello blob');
  });

  it('takes a blob in chunks, says its progress, and refuses a chunk out of order with 416', async () => {
    const content = new Uint8Array(300_000).map((_, i) => i % 253);
    const started = await call('/v2/test/chunks/blobs/uploads/', { method: 'POST' });
    expect(started.status).toBe(202);
    let location = started.headers.get('location') as string;
    expect(location).toMatch(/^\/v2\/test\/chunks\/blobs\/uploads\/[0-9a-f-]{36}$/);
    const first = await call(location, { method: 'PATCH', body: content.subarray(0, 100_000), headers: { 'content-range': '0-99999' } });
    expect([first.status, first.headers.get('range')]).toEqual([202, '0-99999']);
    location = first.headers.get('location') as string;
    const skipped = await call(location, {
      method: 'PATCH',
      body: content.subarray(200_000),
      headers: { 'content-range': '200000-299999' },
    });
    expect([skipped.status, skipped.headers.get('range'), await codeOf(skipped)]).toEqual([416, '0-99999', 'BLOB_UPLOAD_INVALID']);
    const status = await call(location);
    expect([status.status, status.headers.get('range')]).toEqual([204, '0-99999']);
    const second = await call(location, {
      method: 'PATCH',
      body: content.subarray(100_000, 200_000),
      headers: { 'content-range': '100000-199999' },
    });
    expect(second.status).toBe(202);
    const digest = digestOf(content);
    const put = await call(`${location}?digest=${digest}`, {
      method: 'PUT',
      body: content.subarray(200_000),
      headers: { 'content-range': '200000-299999' },
    });
    expect([put.status, put.headers.get('location'), put.headers.get('docker-content-digest')]).toEqual([
      201,
      `/v2/test/chunks/blobs/${digest}`,
      digest,
    ]);
    // (toEqual on 300 kB would take a second)
    expect(digestOf(new Uint8Array(await (await call(`/v2/test/chunks/blobs/${digest}`)).arrayBuffer()))).toBe(digest);
    expect((await call(location)).status).toBe(404);
  });

  it('refuses an upload whose digest is not its content (DIGEST_INVALID), and keeps nothing of it', async () => {
    const wrong = digestOf(bytes('something else'));
    const response = await call(`/v2/test/blobs/blobs/uploads/?digest=${wrong}`, { method: 'POST', body: bytes('content') });
    expect([response.status, await codeOf(response)]).toEqual([400, 'DIGEST_INVALID']);
    expect((await call(`/v2/test/blobs/blobs/${wrong}`, { method: 'HEAD' })).status).toBe(404);
    expect((await call(`/v2/test/blobs/blobs/${digestOf(bytes('content'))}`, { method: 'HEAD' })).status).toBe(404);
  });

  it('answers unknown blobs, uploads and manifests with 404 and their codes', async () => {
    const absent = digestOf(bytes('never pushed'));
    const blob = await call(`/v2/test/x/blobs/${absent}`);
    expect([blob.status, await codeOf(blob)]).toEqual([404, 'BLOB_UNKNOWN']);
    const upload = await call('/v2/test/x/blobs/uploads/00000000-0000-0000-0000-000000000000', { method: 'PATCH', body: 'x' });
    expect([upload.status, await codeOf(upload)]).toEqual([404, 'BLOB_UPLOAD_UNKNOWN']);
    await pushManifest(await pushImageBlobs(), 'test/known', 'v1');
    const manifest = await call('/v2/test/known/manifests/v2');
    expect([manifest.status, await codeOf(manifest)]).toEqual([404, 'MANIFEST_UNKNOWN']);
    const repository = await call('/v2/test/never/manifests/v1');
    expect([repository.status, await codeOf(repository)]).toEqual([404, 'NAME_UNKNOWN']);
    const route = await call('/v2/test/x/nothing');
    expect(route.status).toBe(404);
  });

  it('mounts a blob it has into another repository (201), and starts an upload for one it has not (202)', async () => {
    const digest = await pushBlob(bytes('shared'));
    const mounted = await call(`/v2/test/other/blobs/uploads/?mount=${digest}&from=test/blobs`, { method: 'POST' });
    expect([mounted.status, mounted.headers.get('location')]).toEqual([201, `/v2/test/other/blobs/${digest}`]);
    const absent = await call(`/v2/test/other/blobs/uploads/?mount=${digestOf(bytes('absent'))}&from=test/blobs`, { method: 'POST' });
    expect(absent.status).toBe(202);
  });

  it('cancels an upload with DELETE', async () => {
    const location = (await call('/v2/test/x/blobs/uploads/', { method: 'POST' })).headers.get('location') as string;
    expect((await call(location, { method: 'DELETE' })).status).toBe(204);
    expect((await call(location)).status).toBe(404);
  });

  it('refuses names outside the spec grammar (NAME_INVALID)', async () => {
    for (const path of ['/v2/Test/x/tags/list', '/v2/test//x/blobs/uploads/', '/v2/-test/manifests/v1', '/v2/test/x_/tags/list']) {
      const response = await call(path, { method: path.endsWith('uploads/') ? 'POST' : 'GET' });
      expect([path, response.status, await codeOf(response)]).toEqual([path, 400, 'NAME_INVALID']);
    }
  });

  it('answers 405 for a method a route does not take', async () => {
    const response = await call(`/v2/test/x/blobs/${digestOf(bytes('x'))}`, { method: 'DELETE' });
    expect([response.status, response.headers.get('allow'), await codeOf(response)]).toEqual([405, 'GET, HEAD', 'UNSUPPORTED']);
  });
});

async function pushImageBlobs(on = registry): Promise<Uint8Array> {
  const image = await buildImage({ files: { 'index.js': 'x' }, entrypoint: ['node', 'index.js'] });
  await pushBlob(image.config, on);
  await pushBlob(image.layers[0]?.bytes as Uint8Array, on);
  return image.manifest;
}

async function pushManifest(manifest: Uint8Array, name: string, reference: string, on = registry): Promise<Response> {
  return call(
    `/v2/${name}/manifests/${reference}`,
    { method: 'PUT', body: manifest, headers: { 'content-type': mediaTypes.ociManifest } },
    on,
  );
}

describe('manifests', () => {
  it('stores a manifest under a tag and its digest, and serves its exact bytes and type', async () => {
    const manifest = await pushImageBlobs();
    const digest = digestOf(manifest);
    const put = await pushManifest(manifest, 'test/app', '1.0.0');
    expect([put.status, put.headers.get('docker-content-digest'), put.headers.get('location')]).toEqual([
      201,
      digest,
      `/v2/test/app/manifests/${digest}`,
    ]);
    for (const reference of ['1.0.0', digest]) {
      const got = await call(`/v2/test/app/manifests/${reference}`);
      expect([got.status, got.headers.get('content-type'), got.headers.get('docker-content-digest')]).toEqual([
        200,
        mediaTypes.ociManifest,
        digest,
      ]);
      expect(new Uint8Array(await got.arrayBuffer())).toEqual(manifest);
    }
    const head = await call(`/v2/test/app/manifests/1.0.0`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(manifest.length));
    expect((await pushManifest(manifest, 'test/app', digest)).status).toBe(201);
  });

  it('refuses a manifest that is not JSON, or not of its schema (MANIFEST_INVALID)', async () => {
    for (const body of ['{not json', '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}', '[]']) {
      const response = await pushManifest(bytes(body), 'test/app', 'bad');
      expect([response.status, await codeOf(response)]).toEqual([400, 'MANIFEST_INVALID']);
    }
    const unknownType = await call('/v2/test/app/manifests/bad', {
      method: 'PUT',
      body: '{"schemaVersion":2}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(await codeOf(unknownType)).toBe('MANIFEST_INVALID');
  });

  it('refuses a manifest naming a blob it does not have (MANIFEST_BLOB_UNKNOWN)', async () => {
    const configBytes = bytes('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
    const config = await pushBlob(configBytes);
    const missing = digestOf(bytes('missing layer'));
    const response = await pushManifest(
      manifestOf({ digest: config, size: configBytes.length }, [{ digest: missing, size: 13 }]),
      'test/app',
      'broken',
    );
    const body = (await response.json()) as { errors: { code: string; detail: unknown }[] };
    expect([response.status, body.errors[0]?.code, body.errors[0]?.detail]).toEqual([400, 'MANIFEST_BLOB_UNKNOWN', { digest: missing }]);
    expect((await call('/v2/test/app/manifests/broken')).status).toBe(404);
    const wrongSize = await pushManifest(manifestOf({ digest: config, size: configBytes.length + 1 }, []), 'test/app', 'broken');
    expect([wrongSize.status, await codeOf(wrongSize)]).toEqual([400, 'MANIFEST_INVALID']);
  });

  it('refuses a manifest put under another digest than its own (DIGEST_INVALID)', async () => {
    const manifest = await pushImageBlobs();
    const response = await pushManifest(manifest, 'test/app', digestOf(bytes('other')));
    expect([response.status, await codeOf(response)]).toEqual([400, 'DIGEST_INVALID']);
  });

  it('lists tags in order, n at a time after last, with a Link to the next page', async () => {
    const manifest = await pushImageBlobs();
    for (const tag of ['b', 'a', 'c', 'B']) expect((await pushManifest(manifest, 'test/tags', tag)).status).toBe(201);
    expect(await (await call('/v2/test/tags/tags/list')).json()).toEqual({ name: 'test/tags', tags: ['B', 'a', 'b', 'c'] });
    const page = await call('/v2/test/tags/tags/list?n=2&last=B');
    expect(await page.json()).toEqual({ name: 'test/tags', tags: ['a', 'b'] });
    expect(page.headers.get('link')).toBe('</v2/test/tags/tags/list?n=2&last=b>; rel="next"');
    const lastPage = await call('/v2/test/tags/tags/list?n=2&last=b');
    expect([await lastPage.json(), lastPage.headers.get('link')]).toEqual([{ name: 'test/tags', tags: ['c'] }, null]);
    expect(await (await call('/v2/test/tags/tags/list?n=0')).json()).toEqual({ name: 'test/tags', tags: [] });
    expect(await codeOf(await call('/v2/test/none/tags/list'))).toBe('NAME_UNKNOWN');
  });
});

describe('limits', () => {
  it('refuses a blob over the limit before reading it when its length is declared (413 SIZE_INVALID)', async () => {
    const content = new Uint8Array(100 * 1024);
    const response = await call(`/v2/test/big/blobs/uploads/?digest=${digestOf(content)}`, { method: 'POST', body: content }, small);
    expect([response.status, await codeOf(response)]).toEqual([413, 'SIZE_INVALID']);
    expect((await call(`/v2/test/big/blobs/${digestOf(content)}`, { method: 'HEAD' }, small)).status).toBe(404);
  });

  it('cuts off a streamed upload once it passes the limit, and keeps nothing of it', async () => {
    const location = (await call('/v2/test/big/blobs/uploads/', { method: 'POST' }, small)).headers.get('location') as string;
    const status = await streamChunks(`${small.url}${location}`, 16 * 1024, 64);
    // The answer arrives before the client is done sending, or the connection is cut: either way, refused.
    expect([413, 'cut']).toContain(status);
    expect((await call(location, {}, small)).status).toBe(404);
    expect(await readdir(join(work, 'small', 'uploads'))).toEqual([]);
    expect(await readdir(join(work, 'small', 'blobs', 'sha256'))).toEqual([]);
  });

  it('refuses a manifest over the limit (413)', async () => {
    const response = await pushManifest(bytes(JSON.stringify({ schemaVersion: 2, padding: 'x'.repeat(2000) })), 'test/big', 'v1', small);
    expect([response.status, await codeOf(response)]).toEqual([413, 'SIZE_INVALID']);
  });
});

/** PATCHes `count` chunks of `size` bytes with chunked transfer encoding (no length declared); the status, or 'cut'. */
function streamChunks(url: string, size: number, count: number): Promise<number | 'cut'> {
  return new Promise((resolve) => {
    const outgoing = request(url, { method: 'PATCH', headers: { 'content-type': 'application/octet-stream' } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('error', () => resolve('cut'));
    let sent = 0;
    const next = () => {
      while (sent < count) {
        sent++;
        if (!outgoing.write(new Uint8Array(size))) return void outgoing.once('drain', next);
      }
      outgoing.end();
    };
    next();
  });
}
