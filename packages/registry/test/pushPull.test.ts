import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildImage,
  type BuiltImage,
  canonicalJson,
  checksumOfDigest,
  digestOf,
  digestOfChecksum,
  type FetchFunction,
  ImageDigestMismatchError,
  ImageManifestInvalidError,
  ImageTooLargeError,
  mediaTypes,
  openImage,
  pullImage,
  pushImage,
  RegistryRequestError,
  unpackImage,
} from '@confidant/oci';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevnetRegistry, startRegistry } from '../src/index.js';
import { startProxy } from './proxy.js';

let work: string;
let dataDir: string;
let registry: DevnetRegistry;
let image: BuiltImage;
let storeDir: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'confidant-push-pull-'));
  dataDir = join(work, 'registry');
  registry = await startRegistry({ dataDir });
  image = await buildImage({
    files: { 'index.js': 'console.log("hello")', 'bin/run': { data: '#!/bin/sh\nnode /app/index.js', executable: true } },
    entrypoint: ['/app/bin/run'],
  });
});
afterAll(async () => {
  await registry.stop();
  await rm(work, { recursive: true, force: true });
});
beforeEach(async () => {
  storeDir = await mkdtemp(join(work, 'store-'));
});

/** A fetch that records `METHOD path` of every request. */
function recording(): { fetch: FetchFunction; requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    fetch: (input, init) => {
      requests.push(`${init?.method ?? 'GET'} ${new URL(input).pathname}`);
      return fetch(input, init);
    },
  };
}

const blobFile = (root: string, digest: string) => join(root, 'blobs', 'sha256', digest.slice('sha256:'.length));

async function flipByte(path: string, at: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[at] = (bytes[at] as number) ^ 0xff;
  await writeFile(path, bytes);
}

describe('push and pull', () => {
  it('pushes an image, pulls it by digest into a store, opens and unpacks it', async () => {
    const pushed = await pushImage({ registryUrl: registry.url, repository: 'test/app', tag: '1.0.0', image });
    expect(pushed).toEqual({
      digest: image.manifestDigest,
      checksum: checksumOfDigest(image.manifestDigest),
      reference: `${registry.registry}/test/app:1.0.0`,
      uploaded: [image.configDigest, image.layers[0]?.digest],
    });
    const pulled = await pullImage({ reference: pushed.reference, digest: digestOfChecksum(pushed.checksum), storeDir });
    expect(pulled.config).toEqual(image.imageConfig);
    for (const digest of [image.manifestDigest, image.configDigest, image.layers[0]?.digest as string]) {
      expect(digestOf(await readFile(blobFile(storeDir, digest)))).toBe(digest);
    }
    expect(await readdir(join(storeDir, 'ingest'))).toEqual([]);
    const opened = await openImage({ storeDir, digest: pushed.digest });
    expect(opened).toEqual(pulled);
    const rootDir = join(work, 'root');
    await unpackImage(opened, rootDir);
    expect(await readFile(join(rootDir, 'app/index.js'), 'utf8')).toBe('console.log("hello")');
    expect((await stat(join(rootDir, 'app/bin/run'))).mode & 0o777).toBe(0o755);
  });

  it('skips the blobs a registry has when pushing again, and the blobs a store has when pulling again', async () => {
    await pushImage({ registryUrl: registry.url, repository: 'test/app', tag: '1.0.0', image });
    const push = recording();
    const again = await pushImage({ registryUrl: registry.url, repository: 'test/app', tag: 'again', image, fetch: push.fetch });
    expect(again.uploaded).toEqual([]);
    expect(push.requests.map((line) => line.split(' ')[0])).toEqual(['HEAD', 'HEAD', 'PUT']);
    await pullImage({ reference: again.reference, digest: again.digest, storeDir });
    const pull = recording();
    await pullImage({ reference: again.reference, digest: again.digest, storeDir, fetch: pull.fetch });
    expect(pull.requests).toEqual([]);
    // A layer damaged in the store is checked, found wrong, and fetched again (the only request).
    await flipByte(blobFile(storeDir, image.layers[0]?.digest as string), 600);
    await pullImage({ reference: again.reference, digest: again.digest, storeDir, fetch: pull.fetch });
    expect(pull.requests).toEqual([`GET /v2/test/app/blobs/${image.layers[0]?.digest}`]);
    await openImage({ storeDir, digest: again.digest });
  });

  it('uploads a multi-MiB layer in chunks and pulls it back whole', async () => {
    const big = await buildImage({ files: { 'data.bin': new Uint8Array(randomBytes(3 * 1024 * 1024 + 123)) }, entrypoint: ['true'] });
    const push = recording();
    const pushed = await pushImage({
      registryUrl: registry.url,
      repository: 'test/big',
      tag: 'v1',
      image: big,
      fetch: push.fetch,
      chunkBytes: 512 * 1024,
    });
    expect(push.requests.filter((line) => line.startsWith('PATCH'))).toHaveLength(
      Math.ceil((big.layers[0]?.size as number) / (512 * 1024)),
    );
    const pulled = await pullImage({ reference: pushed.reference, digest: pushed.digest, storeDir });
    expect(digestOf(await readFile(blobFile(storeDir, pulled.manifest.layers[0]?.digest as string)))).toBe(big.layers[0]?.digest);
  });

  it('falls back to POST then PUT with a registry that does not take a blob in one POST', async () => {
    const other = await buildImage({ files: { 'other.js': 'x' }, entrypoint: ['true'] });
    const seen = recording();
    // The registry is asked as if by a client that sends no digest on POST: it answers 202 with a Location.
    const withoutSinglePost: FetchFunction = (input, init) => {
      const url = new URL(input);
      if (init?.method === 'POST' && url.searchParams.has('digest')) {
        url.search = '';
        return seen.fetch(url, { ...init, body: undefined });
      }
      return seen.fetch(input, init);
    };
    const pushed = await pushImage({
      registryUrl: registry.url,
      repository: 'test/fallback',
      tag: 'v1',
      image: other,
      fetch: withoutSinglePost,
    });
    expect(seen.requests.filter((line) => line.startsWith('PUT /v2/test/fallback/blobs/uploads/'))).toHaveLength(2);
    expect((await pullImage({ reference: pushed.reference, digest: pushed.digest, storeDir })).manifestDigest).toBe(other.manifestDigest);
  });

  it('says when the registry cannot be reached, or the repository name is not one', async () => {
    const unreachable = pushImage({ registryUrl: 'http://127.0.0.1:1', repository: 'test/app', tag: 'v1', image });
    await expect(unreachable).rejects.toThrow(RegistryRequestError);
    await expect(unreachable).rejects.toThrow('the registry 127.0.0.1:1 could not be reached to HEAD /v2/test/app/blobs/');
    await expect(pushImage({ registryUrl: registry.url, repository: 'Test/App', tag: 'v1', image })).rejects.toThrow(
      '"Test/App" is not a valid repository name',
    );
  });

  it('keeps tags and blobs across a restart with the same data directory', async () => {
    const pushed = await pushImage({ registryUrl: registry.url, repository: 'test/kept', tag: 'v1', image });
    await registry.stop();
    registry = await startRegistry({ dataDir });
    expect(await (await fetch(`${registry.url}/v2/test/kept/tags/list`)).json()).toEqual({ name: 'test/kept', tags: ['v1'] });
    const pulled = await pullImage({ reference: `${registry.registry}/test/kept:v1`, digest: pushed.digest, storeDir });
    expect(pulled.manifestDigest).toBe(pushed.digest);
  });
});

describe('what a pull refuses', () => {
  beforeAll(async () => {
    await pushImage({ registryUrl: registry.url, repository: 'test/app', tag: '1.0.0', image });
  });
  const reference = () => `${registry.registry}/test/app:1.0.0`;

  it('a layer changed in the registry: nothing of it is kept', async () => {
    const layer = image.layers[0]?.digest as string;
    const path = blobFile(dataDir, layer);
    await flipByte(path, 700);
    try {
      const pull = pullImage({ reference: reference(), digest: image.manifestDigest, storeDir });
      await expect(pull).rejects.toThrow(ImageDigestMismatchError);
      await expect(pull).rejects.toMatchObject({ blob: { kind: 'layer', index: 0 }, expected: layer });
      await expect(stat(blobFile(storeDir, layer))).rejects.toThrow();
      expect(await readdir(join(storeDir, 'ingest'))).toEqual([]);
    } finally {
      await flipByte(path, 700);
    }
  });

  it('a manifest changed in the registry: refused before it is parsed or stored', async () => {
    const path = blobFile(dataDir, image.manifestDigest);
    await flipByte(path, 10);
    try {
      const pull = pullImage({ reference: reference(), digest: image.manifestDigest, storeDir });
      await expect(pull).rejects.toThrow(/^the image's manifest is not the one its digest names: sha256:/);
      expect(await readdir(storeDir)).toEqual([]);
    } finally {
      await flipByte(path, 10);
    }
  });

  it('a blob longer than its descriptor, cut off as it streams', async () => {
    const proxy = await startProxy(registry.url, {
      tamper: (path, body) => (path.includes('/blobs/') ? new Uint8Array([...body, 0, 0]) : body),
    });
    try {
      const pull = pullImage({ reference: `${proxy.registry}/test/app`, digest: image.manifestDigest, storeDir });
      await expect(pull).rejects.toThrow(`the image's config is not the one its manifest names: ${image.configDigest} expected, more than`);
      await expect(openImage({ storeDir, digest: image.manifestDigest })).rejects.toThrow("the image's config");
    } finally {
      await proxy.close();
    }
  });

  it('an image index, naming the linux/amd64 manifest to register instead', async () => {
    const index = new TextEncoder().encode(
      canonicalJson({
        schemaVersion: 2,
        mediaType: mediaTypes.ociIndex,
        manifests: [
          {
            mediaType: mediaTypes.ociManifest,
            digest: image.manifestDigest,
            size: image.manifest.length,
            platform: { os: 'linux', architecture: 'amd64' },
          },
        ],
      }),
    );
    const put = await fetch(`${registry.url}/v2/test/app/manifests/multi`, {
      method: 'PUT',
      body: index,
      headers: { 'content-type': mediaTypes.ociIndex },
    });
    expect(put.status).toBe(201);
    const pull = pullImage({ reference: reference(), digest: digestOf(index), storeDir });
    await expect(pull).rejects.toThrow(ImageManifestInvalidError);
    await expect(pull).rejects.toThrow(`Register the digest of its linux/amd64 manifest instead: ${image.manifestDigest}`);
  });

  it('an image over the size limit, before any blob is downloaded', async () => {
    const pull = pullImage({ reference: reference(), digest: image.manifestDigest, storeDir, maxBytes: 1000 });
    await expect(pull).rejects.toThrow(ImageTooLargeError);
    expect(await readdir(storeDir)).toEqual([]);
  });

  it('a digest the registry does not have, with its answer', async () => {
    const absent = digestOf('absent');
    const pull = pullImage({ reference: reference(), digest: absent, storeDir });
    await expect(pull).rejects.toThrow(RegistryRequestError);
    await expect(pull).rejects.toMatchObject({ status: 404, code: 'MANIFEST_UNKNOWN' });
    await expect(pull).rejects.toThrow(
      `the registry ${registry.registry} answered 404 MANIFEST_UNKNOWN (test/app has no manifest ${absent}) to GET /v2/test/app/manifests/${absent}`,
    );
  });
});

describe('registries that ask for a token', () => {
  it('pulls with an anonymous bearer token', async () => {
    const proxy = await startProxy(registry.url, { token: 'anonymous-token' });
    try {
      await pushImage({ registryUrl: registry.url, repository: 'test/app', tag: '1.0.0', image });
      const pulled = await pullImage({ reference: `${proxy.registry}/test/app:1.0.0`, digest: image.manifestDigest, storeDir });
      expect(pulled.manifestDigest).toBe(image.manifestDigest);
      const refused = pullImage({
        reference: `${proxy.registry}/test/other`,
        digest: image.manifestDigest,
        storeDir: join(storeDir, 'other'),
      });
      await expect(refused).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
      await expect(refused).rejects.not.toThrow('wrong');
    } finally {
      await proxy.close();
    }
  });
});
