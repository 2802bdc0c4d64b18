import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import {
  bytesSource,
  collect,
  CorruptedDataError,
  createReader,
  DEFAULT_UNZIP_LIMITS,
  openArchive,
  readZip,
  TooLargeError,
  unzip,
  writeZip,
} from '../src/index.js';

// One reader for every ZIP: STORED entries (protected data, our results) and DEFLATE ones (iExec's
// workers' results), checked and bounded.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const referenceZip = new Uint8Array(readFileSync(join(fixtures, 'reference.zip')));

/** The same entries, deflated by JSZip (the library of iExec's tools). */
async function deflated(zip: Uint8Array): Promise<Uint8Array> {
  const loaded = await JSZip.loadAsync(zip);
  return loaded.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/** Offsets of the local and central records of an archive's first entry. */
function firstEntry(zip: Uint8Array) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (view.getUint32(end, true) !== 0x06054b50) end--;
  return { view, central: view.getUint32(end + 16, true), local: view.getUint32(view.getUint32(end + 16, true) + 42, true) };
}

/** Rewrites the uncompressed size an archive's first entry declares, in both of its headers. */
function declareSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const { view, central, local } = firstEntry(out);
  view.setUint32(central + 24, size, true);
  view.setUint32(local + 22, size, true);
  return out;
}

describe('unzip', () => {
  it('reads STORED archives as readZip does', async () => {
    const entries = await unzip(referenceZip);
    expect([...entries.keys()]).toEqual([...readZip(referenceZip).keys()]);
    for (const [path, bytes] of readZip(referenceZip)) expect(entries.get(path), path).toEqual(bytes);
  });

  it('inflates DEFLATE archives, folders included; readZip refuses them and says what reads them', async () => {
    const zip = await deflated(referenceZip);
    const { view, central } = firstEntry(zip);
    expect(view.getUint16(central + 10, true)).toBe(8);
    const entries = await unzip(zip);
    expect([...entries.keys()].sort()).toEqual([...readZip(referenceZip).keys()].sort());
    for (const [path, bytes] of readZip(referenceZip)) expect(entries.get(path), path).toEqual(bytes);
    expect(() => readZip(zip)).toThrow(CorruptedDataError);
    expect(() => readZip(zip)).toThrow('read the archive with unzip, which inflates');
  });

  it('writes DEFLATE entries that JSZip and unzip read back, and stores what does not shrink', async () => {
    const text = new TextEncoder().encode('Hello, protected world! '.repeat(200));
    const noise = new Uint8Array(randomBytes(512));
    const zip = writeZip(
      [
        { path: 'result.txt', data: text },
        { path: 'noise.bin', data: noise },
        { path: 'empty', data: new Uint8Array(0) },
      ],
      { deflateRaw: (bytes) => deflateRawSync(bytes) },
    );
    const { view, central } = firstEntry(zip);
    expect(view.getUint16(central + 10, true)).toBe(8);
    expect(view.getUint32(central + 20, true)).toBeLessThan(text.length / 10);
    const entries = await unzip(zip);
    expect(entries.get('result.txt')).toEqual(text);
    expect(entries.get('noise.bin')).toEqual(noise);
    expect(entries.get('empty')).toEqual(new Uint8Array(0));
    const byJsZip = await JSZip.loadAsync(zip);
    expect(await byJsZip.file('result.txt')?.async('uint8array')).toEqual(text);
    expect(await byJsZip.file('noise.bin')?.async('uint8array')).toEqual(noise);
    expect(() => readZip(zip)).toThrow('read the archive with unzip, which inflates');
  });

  it('opens DEFLATE protected data lazily too, value by value and as a stream', async () => {
    const stored = createReader(referenceZip);
    const archive = await openArchive(bytesSource(await deflated(referenceZip)));
    expect(await archive.getValue('profile.name', 'string')).toBe(stored.getValue('profile.name', 'string'));
    expect(await archive.getValue('big', 'i128')).toBe(stored.getValue('big', 'i128'));
    const big = new JSZip();
    const photo = Buffer.concat([randomBytes(100_000), Buffer.alloc(3_000_000, 7)]);
    big.file('photo', photo);
    const lazy = await openArchive(bytesSource(await big.generateAsync({ type: 'uint8array', compression: 'DEFLATE' })));
    expect(Buffer.from(await collect(lazy.stream('photo', 4096))).equals(photo)).toBe(true);
  });

  it('checks the CRC of inflated entries, and refuses damaged DEFLATE data with a typed error', async () => {
    const zip = await deflated(writeOne('a.txt', Buffer.alloc(10_000, 'a')));
    const { view, central, local } = firstEntry(zip);
    const badCrc = zip.slice();
    new DataView(badCrc.buffer).setUint32(central + 16, view.getUint32(central + 16, true) ^ 1, true);
    await expect(unzip(badCrc)).rejects.toThrow('entry a.txt fails its CRC check');
    const damaged = zip.slice();
    const data = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    damaged.fill(0xff, data, data + 4);
    await expect(unzip(damaged)).rejects.toThrow(CorruptedDataError);
    await expect(unzip(damaged)).rejects.toThrow('entry a.txt is not valid DEFLATE data');
  });

  it('refuses entries declared larger than the limits before inflating them', async () => {
    const zip = await deflated(writeOne('big', Buffer.alloc(2 * 1024 * 1024)));
    await expect(unzip(zip, { maxEntrySize: 1024 * 1024 })).rejects.toThrow(TooLargeError);
    await expect(unzip(zip, { maxEntrySize: 1024 * 1024 })).rejects.toThrow(
      'entry big is too large: it declares 2 MiB uncompressed, more than the 1 MiB this reader takes per entry',
    );
    await expect(unzip(zip, { maxTotalSize: 1000 })).rejects.toThrow('more than the 1000 bytes this reader takes in all');
    expect(() => readZip(writeOne('x', Buffer.alloc(2000)), { maxEntrySize: 1000 })).toThrow(TooLargeError);
    expect((await unzip(zip, { maxEntrySize: 4 * 1024 * 1024 })).get('big')?.length).toBe(2 * 1024 * 1024);
    // The default takes 256 MiB: an entry declaring more is refused without a byte inflated.
    expect(DEFAULT_UNZIP_LIMITS.maxEntrySize).toBe(256 * 1024 * 1024);
    await expect(unzip(declareSize(zip, 300 * 1024 * 1024))).rejects.toThrow(TooLargeError);
  });

  it('stops a zip bomb as soon as it inflates past its declared size', async () => {
    const bomb = declareSize(await deflated(writeOne('bomb', Buffer.alloc(16 * 1024 * 1024))), 1000);
    expect(bomb.length).toBeLessThan(50_000);
    await expect(unzip(bomb)).rejects.toThrow('entry bomb inflates to more than the 1000 bytes it declares');
    let yielded = 0;
    const archive = await openArchive(bytesSource(bomb));
    await expect(
      (async () => {
        for await (const chunk of archive.stream('bomb')) yielded += chunk.length;
      })(),
    ).rejects.toThrow(CorruptedDataError);
    expect(yielded).toBeLessThanOrEqual(1000);
    // Declared larger than it is: refused too, whatever the CRC says.
    const short = declareSize(await deflated(writeOne('short', Buffer.alloc(5000, 1))), 6000);
    await expect(unzip(short)).rejects.toThrow('entry short inflates to 5000 bytes, not the 6000 it declares');
  });
});

/** A one-entry STORED archive, for deflated() to re-encode. */
function writeOne(path: string, data: Uint8Array): Uint8Array {
  return writeZip([{ path, data }]);
}
