// The one IPFS client (`createIpfsClient` and `fetchContent` of @confidant/protected-data, used by the
// SDK and the enclave runtime) against this package's storage on loopback. It lives here because the
// client's package is a utility, which may not depend on a service.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CorruptedDataError, createIpfsClient, fetchContent, IpfsError, type IpfsClient } from '@confidant/protected-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStorage, type DevnetStorage } from '../src/storage.js';
import { kuboReferenceAdd } from './kuboReference.js';
import { pseudoRandomBytes } from './storageClient.js';

const MiB = 1024 * 1024;
const HELLO_CID = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o'; // kubo's CID of "hello world\n"
const hello = () => new TextEncoder().encode('hello world\n');

let storage: DevnetStorage;
let ipfs: IpfsClient;
beforeAll(async () => {
  storage = await startStorage();
  ipfs = createIpfsClient({ apiUrl: `${storage.apiUrl}/`, gatewayUrl: storage.gatewayUrl });
});
afterAll(() => storage.stop());

async function bytesOf(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts);
}

async function* lazily(content: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const bytes of content) yield bytes;
}

/** The IpfsError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<IpfsError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IpfsError);
  return error as IpfsError;
}

describe('the IPFS client against the local storage', () => {
  it("adds bytes, a Blob and a byte source (streamed or, as browsers do, gathered) with kubo's CIDs, and reads them back", async () => {
    expect(await ipfs.add(hello())).toBe(HELLO_CID);
    expect(await ipfs.add(new Blob([hello()]), { name: 'hello.txt' })).toBe(HELLO_CID);
    expect(await ipfs.add(lazily([hello().subarray(0, 5), hello().subarray(5)]), { size: 12 })).toBe(HELLO_CID);
    const gathering = createIpfsClient({ apiUrl: storage.apiUrl, gatewayUrl: storage.gatewayUrl, streamUploads: false });
    expect(await gathering.add(lazily([hello()]))).toBe(HELLO_CID);

    // Several chunks of 256 KiB: a root over leaves, as kubo builds it.
    const expected = kuboReferenceAdd(pseudoRandomBytes(3 * MiB + 17));
    expect(await ipfs.add(lazily(pseudoRandomBytes(3 * MiB + 17)), { name: 'data.bin' })).toBe(expected.cid);
    const read = await bytesOf(await ipfs.cat(expected.cid));
    expect(createHash('sha256').update(read).digest('hex')).toBe(
      createHash('sha256')
        .update(Buffer.concat([...pseudoRandomBytes(3 * MiB + 17)]))
        .digest('hex'),
    );
    expect((await bytesOf(await fetchContent(`${storage.gatewayUrl}/ipfs/${HELLO_CID}`))).toString()).toBe('hello world\n');
  });

  it('streams 64 MiB up and down without holding it in memory', async () => {
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const memoryInUse = () => {
      collectGarbage();
      collectGarbage();
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      return heapUsed + arrayBuffers;
    };
    const SIZE = 64 * MiB;
    const expected = kuboReferenceAdd(pseudoRandomBytes(SIZE));
    // Warm up the HTTP client and the importer, which stay in memory.
    await bytesOf(await ipfs.cat(await ipfs.add(lazily(pseudoRandomBytes(2 * MiB, 65_537, 2)))));
    memoryInUse();
    await sleep(100);
    const baseline = memoryInUse();
    const samples: number[] = [];
    const sample = (every: number) => {
      let seen = 0;
      let next = every;
      return (length: number) => {
        seen += length;
        if (seen >= next) {
          samples.push(memoryInUse());
          next += every;
        }
      };
    };

    const sent = createHash('sha256');
    const sampleSent = sample(4 * MiB);
    const source = (async function* () {
      for (const bytes of pseudoRandomBytes(SIZE)) {
        sent.update(bytes);
        sampleSent(bytes.length);
        yield bytes;
      }
    })();
    expect(await ipfs.add(source, { size: SIZE })).toBe(expected.cid);

    const received = createHash('sha256');
    const sampleReceived = sample(4 * MiB);
    let length = 0;
    for await (const bytes of await ipfs.cat(expected.cid)) {
      received.update(bytes);
      length += bytes.length;
      sampleReceived(bytes.length);
    }
    expect(length).toBe(SIZE);
    expect(received.digest('hex')).toBe(sent.digest('hex'));
    expect(samples.length).toBeGreaterThanOrEqual(30);
    // Holding the file, or a good part of it, would show: client and storage together keep ~6 MiB.
    // (Without `redirect: 'error'` Node's fetch kept the whole upload: nodejs/undici#4058.)
    expect(Math.max(...samples) - baseline).toBeLessThan(16 * MiB);
  });

  it("passes on the source's own error, and the storage keeps serving", async () => {
    async function* failing() {
      yield new Uint8Array(300_000);
      throw new CorruptedDataError('the file changed while it was being protected');
    }
    await expect(ipfs.add(failing(), { size: 600_000 })).rejects.toThrow(CorruptedDataError);
    expect(await ipfs.add(hello())).toBe(HELLO_CID);
  });

  it('names what the gateway does not have, and refuses a download over its limit before reading it', async () => {
    const absent = kuboReferenceAdd([new TextEncoder().encode('never added')]).cid;
    const missing = await failure(ipfs.cat(absent));
    expect(missing).toMatchObject({ reason: 'refused', status: 404, operation: 'get', kind: 'not-found', timedOut: false });
    expect(missing.shortMessage).toBe(`the IPFS gateway has no ${absent} (HTTP 404)`);
    expect((await failure(fetchContent(`${storage.gatewayUrl}/ipfs/${absent}`))).shortMessage).toBe(
      `${storage.gatewayUrl}/ipfs/${absent} answered HTTP 404`,
    );

    const tooLarge = await failure(ipfs.cat(HELLO_CID, { maxBytes: 11 }));
    expect(tooLarge).toMatchObject({ reason: 'too-large', kind: 'invalid-input' });
    expect(tooLarge.shortMessage).toBe(`/ipfs/${HELLO_CID} is larger than 11 bytes`);
    expect((await bytesOf(await ipfs.cat(HELLO_CID, { maxBytes: 12 }))).toString()).toBe('hello world\n');
  });

  it('says the storage refused an add, with its status and answer', async () => {
    const wrongPath = createIpfsClient({ apiUrl: `${storage.apiUrl}/not-kubo`, gatewayUrl: storage.gatewayUrl });
    const refused = await failure(wrongPath.add(hello()));
    expect(refused).toMatchObject({ reason: 'refused', status: 404, operation: 'add', url: `${storage.apiUrl}/not-kubo` });
    expect(refused.shortMessage).toMatch(
      /^the IPFS API refused the upload \(HTTP 404\): .*the devnet storage has no POST \/not-kubo\/api\/v0\/add/,
    );
  });

  it('holds its time limits: an upload whose source stalls, a download read too slowly', async () => {
    async function* stalling() {
      yield new Uint8Array(1000);
      await sleep(5_000);
      yield new Uint8Array(1000);
    }
    const started = Date.now();
    const stalled = await failure(ipfs.add(stalling(), { timeoutMs: 300 }));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(stalled).toMatchObject({ reason: 'unreachable', timedOut: true, operation: 'add' });
    expect(stalled.shortMessage).toBe(`the upload to the IPFS API at ${storage.apiUrl} took longer than 300 ms`);

    const big = await ipfs.add(lazily(pseudoRandomBytes(16 * MiB, 65_537, 3)));
    const slowly = async () => {
      let first = true;
      for await (const _ of await ipfs.cat(big, { timeoutMs: 300 })) {
        if (first) await sleep(600);
        first = false;
      }
    };
    const interrupted = await failure(slowly());
    expect(interrupted).toMatchObject({ reason: 'interrupted', timedOut: true, operation: 'get' });
    expect(interrupted.shortMessage).toBe(`the download of /ipfs/${big} took longer than 300 ms`);
    // A transfer that ends in time is not cut afterwards.
    expect((await bytesOf(await ipfs.cat(HELLO_CID, { timeoutMs: 5_000 }))).toString()).toBe('hello world\n');
  });

  it("cancels with the caller's signal, which it fails with", async () => {
    const controller = new AbortController();
    const reason = new CorruptedDataError('stopped by the caller');
    controller.abort(reason);
    await expect(ipfs.add(hello(), { signal: controller.signal })).rejects.toBe(reason);
    await expect(ipfs.cat(HELLO_CID, { signal: controller.signal, timeoutMs: 1_000 })).rejects.toBe(reason);
  });

  it('says a stopped storage cannot be reached', async () => {
    const stopped = await startStorage();
    await stopped.stop();
    const client = createIpfsClient({ apiUrl: stopped.apiUrl, gatewayUrl: stopped.gatewayUrl });
    const add = await failure(client.add(hello()));
    expect(add).toMatchObject({ reason: 'unreachable', timedOut: false, kind: 'unavailable' });
    expect(add.shortMessage).toBe(`the IPFS API at ${stopped.apiUrl} could not be reached`);
    expect((await failure(client.cat(HELLO_CID))).shortMessage).toBe(`the IPFS gateway at ${stopped.gatewayUrl} could not be reached`);
    expect((await failure(fetchContent(`${stopped.gatewayUrl}/ipfs/${HELLO_CID}`))).reason).toBe('unreachable');
  });
});
