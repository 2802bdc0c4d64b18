import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseError } from '@confidant/errors';
import { describe, expect, it } from 'vitest';
import { webCrypto } from '../src/browser.js';
import { bytesSource, collect, createReader, createZipFromObject, decryptStream, extractDataSchema, openArchive, readZip } from '../src/index.js';
import { decryptAes256Cbc, encryptAes256Cbc, nodeCrypto } from '../src/node.js';

// Malformed input must never crash anything: every failure is one of our typed errors.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const referenceZip = new Uint8Array(readFileSync(join(fixtures, 'reference.zip')));

/** A seeded generator (mulberry32), so a failing case can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (max: number) => Math.floor(next() * max);
  return { next, int, pick: <T>(items: readonly T[]) => items[int(items.length)] as T, bytes: (n: number) => Uint8Array.from({ length: n }, () => int(256)) };
}
type Random = ReturnType<typeof random>;

function mutate(input: Uint8Array, rng: Random): Uint8Array {
  let out = input.slice();
  const rounds = 1 + rng.int(4);
  for (let r = 0; r < rounds; r++) {
    switch (rng.int(6)) {
      case 0: // flip bits
        for (let i = rng.int(8) + 1; i > 0 && out.length > 0; i--) {
          const at = rng.int(out.length);
          out[at] = (out[at] as number) ^ (1 << rng.int(8));
        }
        break;
      case 1: // truncate
        out = out.slice(0, rng.int(out.length + 1));
        break;
      case 2: {
        // overwrite with extreme values (sizes, offsets, counts)
        if (out.length < 4) break;
        const value = rng.pick([0, 0xffffffff, 0x7fffffff, 0xffff, 1, out.length, out.length + 1]);
        new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(rng.int(out.length - 3), value >>> 0, true);
        break;
      }
      case 3: {
        // insert garbage
        const at = rng.int(out.length + 1);
        const garbage = rng.bytes(rng.int(64));
        const next = new Uint8Array(out.length + garbage.length);
        next.set(out.subarray(0, at));
        next.set(garbage, at);
        next.set(out.subarray(at), at + garbage.length);
        out = next;
        break;
      }
      case 4: {
        // remove a slice
        const at = rng.int(out.length + 1);
        const length = rng.int(32);
        out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + length)]);
        break;
      }
      default: {
        // copy one region over another (duplicated headers)
        if (out.length < 8) break;
        const from = rng.int(out.length - 4);
        const to = rng.int(out.length - 4);
        out.copyWithin(to, from, from + 4 + rng.int(60));
      }
    }
  }
  return out;
}

const TYPES = ['bool', 'boolean', 'f64', 'number', 'i128', 'string', 'image/png', 'application/octet-stream', ''];
const PATHS = ['email', 'age', 'consent', 'profile.name', 'profile', 'profile/', 'a.b.c', '', '..', 'photo'];

function expectTyped(error: unknown, context: string) {
  if (!(error instanceof BaseError)) throw new Error(`${context}: untyped ${String(error)}${error instanceof Error ? `\n${error.stack}` : ''}`);
}

/** Tries every way of reading; tells whether the archive still opened. */
async function tryAll(zip: Uint8Array, rng: Random, context: string): Promise<boolean> {
  let opened = true;
  const attempts: (() => unknown)[] = [
    () => readZip(zip),
    () => {
      const reader = createReader(zip, { mode: rng.pick(['optimistic', 'borsh', 'legacy'] as const) });
      for (const path of reader.paths().map((p) => p.replaceAll('/', '.')).concat(PATHS)) {
        try {
          reader.getValue(path, rng.pick(TYPES));
        } catch (error) {
          expectTyped(error, `${context} getValue(${path})`);
        }
      }
    },
    async () => {
      const archive = await openArchive(bytesSource(zip));
      for (const path of archive.paths().concat(PATHS)) {
        for (const attempt of [() => archive.getValue(path, rng.pick(TYPES)), () => collect(archive.stream(path, 1 + rng.int(64)))]) {
          try {
            await attempt();
          } catch (error) {
            expectTyped(error, `${context} archive ${path}`);
          }
        }
      }
    },
  ];
  for (const attempt of attempts) {
    try {
      await attempt();
    } catch (error) {
      expectTyped(error, context);
      opened = false;
    }
  }
  return opened;
}

describe('fuzzing the reader and the decrypter', () => {
  it('answers 3,000 corrupted archives with typed errors only', async () => {
    const ours = await createZipFromObject({ email: 'a@b.c', age: 3.5, profile: { name: 'x', n: 7n }, photo: Uint8Array.of(0x89, 0x50, 0x4e, 0x47) }, { crypto: nodeCrypto });
    const rng = random(0xc0ffee);
    let opened = 0;
    for (let n = 0; n < 3000; n++) {
      const base = n % 3 === 0 ? ours : n % 3 === 1 ? referenceZip : rng.bytes(rng.int(200));
      if (await tryAll(mutate(base, rng), rng, `archive #${n}`)) opened++;
    }
    // Some damage (a comment, trailing bytes) leaves an archive readable: both paths are exercised.
    expect(opened).toBeGreaterThan(30);
  });

  it('answers 1,000 corrupted ciphertexts and wrong keys with typed errors only, in Node and WebCrypto', async () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const encrypted = encryptAes256Cbc(referenceZip, key);
    const rng = random(0xdecaf);
    for (let n = 0; n < 1000; n++) {
      const input = mutate(encrypted, rng);
      const useKey = rng.int(4) === 0 ? rng.pick([Buffer.from(rng.bytes(32)).toString('base64'), '', 'AAAA', '!!!!', Buffer.from(rng.bytes(16)).toString('base64')]) : key;
      const chunk = 1 + rng.int(100);
      const attempts: (() => unknown)[] = [
        () => decryptAes256Cbc(input, useKey),
        () => collect(decryptStream(split(input, chunk), { key: useKey, crypto: nodeCrypto })),
        () => collect(decryptStream(split(input, chunk), { key: useKey, crypto: webCrypto })),
      ];
      const results: (Uint8Array | 'error')[] = [];
      for (const attempt of attempts) {
        try {
          const plain = (await attempt()) as Uint8Array;
          results.push(plain);
          await tryAll(plain, rng, `decrypted #${n}`);
        } catch (error) {
          expectTyped(error, `ciphertext #${n}`);
          results.push('error');
        }
      }
      // The three decrypters agree on what decrypts and to what.
      expect(results[1], `ciphertext #${n}`).toEqual(results[0]);
      expect(results[2], `ciphertext #${n}`).toEqual(results[0]);
    }
  });

  it('answers 3,000 malformed objects to protect with typed errors only', async () => {
    const rng = random(0xbad);
    const leaves = (): unknown =>
      rng.pick<() => unknown>([
        () => rng.int(2) === 0,
        () => rng.next() * 1e6 - 5e5,
        () => rng.pick([Number.NaN, Number.POSITIVE_INFINITY, -0, Number.MAX_VALUE]),
        () => BigInt(rng.int(1000)) ** BigInt(rng.int(30)) * (rng.int(2) ? 1n : -1n),
        () => 'text'.repeat(rng.int(5)),
        () => rng.bytes(rng.int(20)),
        () => rng.bytes(rng.int(20)).buffer,
        () => null,
        () => undefined,
        () => [1, 2],
        () => new Date(0),
        () => new Map(),
        () => () => 1,
        () => Symbol('s'),
        () => ({}),
        () => new Blob([rng.bytes(rng.int(40))]),
      ])();
    const object = (depth: number): unknown => {
      if (rng.int(10) === 0) return leaves();
      const out: Record<string, unknown> = {};
      for (let i = rng.int(5); i > 0; i--) {
        const key = rng.pick(['email', 'a-b', 'x_1', '', 'bad key', 'é', 'a.b', '0', '__proto__x']);
        out[key] = depth > 0 && rng.int(3) === 0 ? object(depth - 1) : leaves();
      }
      return out;
    };
    let accepted = 0;
    for (let n = 0; n < 3000; n++) {
      const input = object(3);
      try {
        await extractDataSchema(input as never);
        const zip = await createZipFromObject(input as never, { crypto: n % 2 ? nodeCrypto : webCrypto });
        createReader(zip);
        accepted++;
      } catch (error) {
        expectTyped(error, `object #${n}`);
      }
    }
    // Some generated objects are valid: the test exercises both outcomes.
    expect(accepted).toBeGreaterThan(50);
  });
});

function* split(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
