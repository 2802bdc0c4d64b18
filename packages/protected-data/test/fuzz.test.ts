import { constants, createCipheriv, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseError } from '@confidant/errors';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { webCrypto } from '../src/browser.js';
import {
  bytesSource,
  collect,
  createReader,
  createZipFromObject,
  decryptStream,
  extractDataSchema,
  openArchive,
  readResult,
  readZip,
  type RsaPrivateJwk,
  unzip,
  writeZip,
} from '../src/index.js';
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
  return {
    next,
    int,
    pick: <T>(items: readonly T[]) => items[int(items.length)] as T,
    bytes: (n: number) => Uint8Array.from({ length: n }, () => int(256)),
  };
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
  if (!(error instanceof BaseError))
    throw new Error(`${context}: untyped ${String(error)}${error instanceof Error ? `\n${error.stack}` : ''}`);
}

/** Tries every way of reading; tells which readers still opened the archive. */
async function tryAll(zip: Uint8Array, rng: Random, context: string): Promise<Set<string>> {
  const opened = new Set<string>();
  const attempts: Record<string, () => unknown> = {
    readZip: () => readZip(zip),
    unzip: () => unzip(zip),
    // Limits from the input, not the generator: the cases drawn from each seed stay what they were.
    limitedUnzip: () => unzip(zip, { maxEntrySize: 1 + ((zip.length * 7) % 4000), maxTotalSize: 1 + ((zip.length * 13) % 8000) }),
    createReader: () => {
      const reader = createReader(zip, { mode: rng.pick(['optimistic', 'borsh', 'legacy'] as const) });
      for (const path of reader
        .paths()
        .map((p) => p.replaceAll('/', '.'))
        .concat(PATHS)) {
        try {
          reader.getValue(path, rng.pick(TYPES));
        } catch (error) {
          expectTyped(error, `${context} getValue(${path})`);
        }
      }
    },
    openArchive: async () => {
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
  };
  for (const [name, attempt] of Object.entries(attempts)) {
    try {
      await attempt();
      opened.add(name);
    } catch (error) {
      expectTyped(error, context);
    }
  }
  return opened;
}

describe('fuzzing the reader and the decrypter', () => {
  it('answers 3,000 corrupted archives with typed errors only', async () => {
    const ours = await createZipFromObject(
      { email: 'a@b.c', age: 3.5, profile: { name: 'x', n: 7n }, photo: Uint8Array.of(0x89, 0x50, 0x4e, 0x47) },
      { crypto: nodeCrypto },
    );
    const rng = random(0xc0ffee);
    let opened = 0;
    for (let n = 0; n < 3000; n++) {
      const base = n % 3 === 0 ? ours : n % 3 === 1 ? referenceZip : rng.bytes(rng.int(200));
      const readers = await tryAll(mutate(base, rng), rng, `archive #${n}`);
      if (['readZip', 'unzip', 'createReader', 'openArchive'].every((name) => readers.has(name))) opened++;
    }
    // Some damage (a comment, trailing bytes) leaves an archive readable: both paths are exercised.
    expect(opened).toBeGreaterThan(30);
  });

  it('answers 3,000 corrupted DEFLATE archives with typed errors only', async () => {
    const ours = await createZipFromObject(
      { email: 'a@b.c', age: 3.5, profile: { name: 'x', n: 7n }, photo: Uint8Array.of(0x89, 0x50, 0x4e, 0x47), note: 'text '.repeat(40) },
      { crypto: nodeCrypto },
    );
    const bases = [await deflate(ours), await deflate(referenceZip), await deflate(await resultShaped())];
    const rng = random(0xdef1a7e);
    let opened = 0;
    for (let n = 0; n < 3000; n++) {
      const readers = await tryAll(mutate(bases[n % bases.length] as Uint8Array, rng), rng, `deflated archive #${n}`);
      // Opened by the readers that inflate, where the STORED-only one refuses: DEFLATE entries were read.
      if (readers.has('unzip') && readers.has('openArchive') && !readers.has('readZip')) opened++;
    }
    expect(opened).toBeGreaterThan(30);
  });

  it('answers 600 corrupted encrypted results with typed errors only, in Node and WebCrypto', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = privateKey.export({ format: 'jwk' }) as RsaPrivateJwk;
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const inner = await resultShaped();
    const aesKey = randomBytes(32);
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-cbc', aesKey, iv);
    const parts = {
      encrypted: new Uint8Array(Buffer.concat([iv, cipher.update(inner), cipher.final()])),
      wrapped: new TextEncoder().encode(publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, aesKey).toString('base64')),
    };
    // Ours (STORED, at the root) and iExec's workers' (DEFLATE, in a folder).
    const iexec = new JSZip();
    iexec.file('encrypted-0xtask/iexec_out.zip.aes', parts.encrypted);
    iexec.file('encrypted-0xtask/aes-key.rsa', parts.wrapped);
    const bases = [
      writeZip([
        { path: 'iexec_out.zip.aes', data: parts.encrypted },
        { path: 'aes-key.rsa', data: parts.wrapped },
      ]),
      await iexec.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }),
    ];
    for (const base of bases)
      expect((await readResult(base, { privateKey: jwk, crypto: nodeCrypto })).files.get('result.txt')).toBeDefined();
    const rng = random(0x5ea1ed);
    let opened = 0;
    for (let n = 0; n < 600; n++) {
      const archive = mutate(bases[n % 2] as Uint8Array, rng);
      // JavaScript RSA takes tens of milliseconds: WebCrypto gets one case in four.
      const crypto = n % 4 === 3 ? webCrypto : nodeCrypto;
      try {
        await readResult(archive, {
          privateKey: rng.pick<RsaPrivateJwk | string>([jwk, pem]),
          crypto,
          limits: { maxEntrySize: 1 << 20, maxTotalSize: 1 << 21 },
        });
        opened++;
      } catch (error) {
        expectTyped(error, `result #${n}`);
      }
    }
    // Some damage (a comment, trailing bytes) leaves a result readable: both paths are exercised.
    expect(opened).toBeGreaterThan(5);
  });

  it('answers 1,000 corrupted ciphertexts and wrong keys with typed errors only, in Node and WebCrypto', async () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const encrypted = encryptAes256Cbc(referenceZip, key);
    const rng = random(0xdecaf);
    for (let n = 0; n < 1000; n++) {
      const input = mutate(encrypted, rng);
      const useKey =
        rng.int(4) === 0
          ? rng.pick([Buffer.from(rng.bytes(32)).toString('base64'), '', 'AAAA', '!!!!', Buffer.from(rng.bytes(16)).toString('base64')])
          : key;
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

/** The same entries, deflated by JSZip (as iExec's tools and workers write them). */
async function deflate(zip: Uint8Array): Promise<Uint8Array> {
  return (await JSZip.loadAsync(zip)).generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** The zip of an IEXEC_OUT as iExec's workers make it: files in folders, deflated. */
async function resultShaped(): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('result.txt', 'the result '.repeat(30));
  zip.file('computed.json', '{"deterministic-output-path":"/iexec_out/result.txt"}');
  zip.file(
    'out/data.bin',
    Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256),
  );
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

function* split(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
