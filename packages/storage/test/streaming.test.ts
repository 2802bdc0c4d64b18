import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { startStorage } from '../src/storage.js';
import { kuboReferenceAdd } from './kuboReference.js';
import { addStream, pseudoRandomBytes } from './storageClient.js';

const MiB = 1024 * 1024;
const SIZE = 64 * MiB;

// Resident memory also counts garbage that V8 collects when it pleases (it lets ~64 MiB of dead
// buffers pile up), so what is measured is the memory still in use (JS heap and buffers) after full
// collections; the second one lets the first finish releasing buffers.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
function memoryInUse(): number {
  collectGarbage();
  collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** Passes `content` through, measuring the memory in use every `every` bytes. */
function* measured(content: Iterable<Uint8Array>, samples: number[], every = 4 * MiB): Generator<Uint8Array> {
  let next = every;
  let seen = 0;
  for (const bytes of content) {
    seen += bytes.length;
    if (seen >= next) {
      samples.push(memoryInUse());
      next += every;
    }
    yield bytes;
  }
}

it("streams a 64 MiB file in and out, with kubo's CID and the same bytes, never holding it in memory", async () => {
  const storage = await startStorage();
  try {
    // 256 chunks of 256 KiB: a root over two nodes of 174 and 82 leaves.
    const expected = kuboReferenceAdd(pseudoRandomBytes(SIZE));
    // Warm up: the first requests load the HTTP client and the importer, which stay in memory.
    const warmUp = await addStream(storage, pseudoRandomBytes(2 * MiB, 65_537, 2));
    await (await fetch(`${storage.gatewayUrl}/ipfs/${(warmUp.json as { Hash: string }).Hash}`)).arrayBuffer();
    memoryInUse();
    await sleep(100); // buffers freed by the collection are released a moment later
    const baseline = memoryInUse();
    const samples: number[] = [];

    const sent = createHash('sha256');
    const content = (function* () {
      for (const bytes of pseudoRandomBytes(SIZE)) {
        sent.update(bytes);
        yield bytes;
      }
    })();
    const added = await addStream(storage, measured(content, samples));
    expect(added.status).toBe(200);
    expect(added.json).toEqual({ Name: 'data.bin', Hash: expected.cid, Size: String(expected.size) });

    const response = await fetch(`${storage.gatewayUrl}/ipfs/${expected.cid}`);
    expect(response.headers.get('content-length')).toBe(String(SIZE));
    const received = createHash('sha256');
    let length = 0;
    let next = 4 * MiB;
    for await (const bytes of response.body as AsyncIterable<Uint8Array>) {
      received.update(bytes);
      length += bytes.length;
      if (length >= next) {
        samples.push(memoryInUse());
        next += 4 * MiB;
      }
    }
    expect(length).toBe(SIZE);
    expect(received.digest('hex')).toBe(sent.digest('hex'));

    // Holding the file, or even a batch of 174 leaves (44 MiB), would show: streaming keeps ~6 MiB
    // while adding (the importer writes 10 blocks at once) and under 2 MiB while serving.
    expect(samples.length).toBeGreaterThanOrEqual(30);
    expect(Math.max(...samples) - baseline).toBeLessThan(16 * MiB);
  } finally {
    await storage.stop();
  }
});
