import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { webCrypto } from '../src/browser.js';
import {
  type ArchiveSource,
  bytesSource,
  collect,
  CorruptedDataError,
  decryptStream,
  MissingValueError,
  openArchive,
  protect,
  createReader,
} from '../src/index.js';
import { decryptAes256Cbc, fileLeaf, nodeCrypto, openArchiveFile, sha256Checksum } from '../src/node.js';
import { platformCrypto } from '../src/platform.node.js';

const dir = mkdtempSync(join(tmpdir(), 'protected-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(5 * 1024 * 1024)]);
const pngPath = join(dir, 'photo.png');
writeFileSync(pngPath, png);

/** Counts what is read from a source, to prove the reader does not load the archive. */
function counting(source: ArchiveSource) {
  const counter = { bytes: 0 };
  return {
    counter,
    source: { size: source.size, read: (offset: number, length: number) => ((counter.bytes += length), source.read(offset, length)) },
  };
}

describe('streaming protection', () => {
  it('protects a file leaf as a stream; JSZip and our readers find every value', async () => {
    const steps: string[] = [];
    const protectedData = await protect(
      { email: 'alice@example.com', photo: await fileLeaf(pngPath), nested: { score: 12.5, big: -(2n ** 100n), ok: false } },
      { crypto: nodeCrypto, onProgress: (progress) => steps.push(progress.phase) },
    );
    expect(protectedData.schema).toEqual({ email: 'string', photo: 'image/png', nested: { score: 'f64', big: 'i128', ok: 'bool' } });
    const encrypted = await collect(protectedData.chunks);
    expect(encrypted.length).toBe(protectedData.encryptedSize);
    expect(await protectedData.checksum).toBe(sha256Checksum(encrypted));
    expect(steps).toContain('checksum-files');
    expect(steps).toContain('encrypt');

    const zip = decryptAes256Cbc(encrypted, protectedData.key);
    expect(zip.length).toBe(protectedData.archiveSize);
    const jszip = await JSZip.loadAsync(zip, { checkCRC32: true });
    expect(Buffer.from(await jszip.file('photo')!.async('uint8array')).equals(png)).toBe(true);
    const reader = createReader(zip);
    expect(reader.getValue('nested.big', 'i128')).toBe(-(2n ** 100n));
    expect(reader.getValue('nested.ok', 'bool')).toBe(false);
    expect(reader.paths()).toEqual(['email', 'photo', 'nested/', 'nested/score', 'nested/big', 'nested/ok']);
  });

  it('gives the same bytes with Node and WebCrypto primitives for the same key and IV', async () => {
    const iv = randomBytes(16);
    const data = async () => ({ photo: await fileLeaf(pngPath), note: 'hello' });
    const viaNode = await protect(await data(), { crypto: nodeCrypto, iv });
    const viaWeb = await protect(await data(), { crypto: webCrypto, iv, key: viaNode.key });
    expect(Buffer.from(await collect(viaWeb.chunks)).equals(Buffer.from(await collect(viaNode.chunks)))).toBe(true);
    expect(await viaWeb.checksum).toBe(await viaNode.checksum);
    expect(platformCrypto).toBe(nodeCrypto);
  });

  it('refuses a file that changes between its checksum and its encryption', async () => {
    let reads = 0;
    class Shifty extends Blob {
      override stream() {
        reads++;
        return new Blob([reads === 1 ? 'first version' : 'second version']).stream();
      }
    }
    const protectedData = await protect({ doc: new Shifty(['first version']) }, { crypto: nodeCrypto });
    await expect(collect(protectedData.chunks)).rejects.toThrow(CorruptedDataError);
    await expect(protectedData.checksum).rejects.toThrow('changed while it was being protected');
  });

  it('keeps memory bounded while protecting a 256 MiB file', async () => {
    const path = join(dir, 'big.bin');
    const handle = await open(path, 'w');
    const block = randomBytes(1 << 20);
    for (let i = 0; i < 256; i++) await handle.write(block);
    await handle.close();
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const protectedData = await protect({ file: await fileLeaf(path) }, { crypto: nodeCrypto });
    const hash = createHash('sha256');
    for await (const chunk of protectedData.chunks) {
      hash.update(chunk);
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(await protectedData.checksum).toBe(`0x${hash.digest('hex')}`);
    // The file is 256 MiB; a stream holds a few MiB at a time.
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
    rmSync(path);
  });

  it('decrypts as a stream and fails on a wrong key or a truncated file, with typed errors', async () => {
    const protectedData = await protect({ photo: await fileLeaf(pngPath) }, { crypto: nodeCrypto });
    const encrypted = await collect(protectedData.chunks);
    for (const crypto of [nodeCrypto, webCrypto]) {
      const zip = await collect(decryptStream([encrypted], { key: protectedData.key, crypto }));
      expect(zip.length).toBe(protectedData.archiveSize);
      await expect(collect(decryptStream([encrypted], { key: Buffer.alloc(32, 7).toString('base64'), crypto }))).rejects.toThrow(
        CorruptedDataError,
      );
      await expect(
        collect(decryptStream([encrypted.subarray(0, encrypted.length - 5)], { key: protectedData.key, crypto })),
      ).rejects.toThrow(CorruptedDataError);
      await expect(collect(decryptStream([encrypted.subarray(0, 10)], { key: protectedData.key, crypto }))).rejects.toThrow(
        CorruptedDataError,
      );
      await expect(collect(decryptStream([encrypted], { key: 'not base64!', crypto }))).rejects.toThrow(CorruptedDataError);
    }
  });
});

describe('the lazy reader', () => {
  it('reads one value of an archive with a 5 MiB file in a few small reads, and streams the file', async () => {
    const protectedData = await protect({ email: 'alice@example.com', photo: await fileLeaf(pngPath) }, { crypto: nodeCrypto });
    const zip = decryptAes256Cbc(await collect(protectedData.chunks), protectedData.key);
    const { counter, source } = counting(bytesSource(zip));
    const archive = await openArchive(source);
    expect(await archive.getValue('email', 'string')).toBe('alice@example.com');
    expect(counter.bytes).toBeLessThan(70 * 1024);
    expect(Buffer.from(await collect(archive.stream('photo', 64 * 1024))).equals(png)).toBe(true);
    await expect(archive.getValue('nope', 'string')).rejects.toThrow(MissingValueError);

    const path = join(dir, 'archive.zip');
    writeFileSync(path, zip);
    const fromFile = await openArchiveFile(path);
    expect(await fromFile.getValue('email', 'string')).toBe('alice@example.com');
    expect(fromFile.paths()).toEqual(['email', 'photo']);
  });

  it('checks the CRC of a streamed entry', async () => {
    const protectedData = await protect({ photo: await fileLeaf(pngPath) }, { crypto: nodeCrypto });
    const zip = decryptAes256Cbc(await collect(protectedData.chunks), protectedData.key);
    zip[1000] = (zip[1000] as number) ^ 1;
    const archive = await openArchive(bytesSource(zip));
    await expect(collect(archive.stream('photo'))).rejects.toThrow('fails its CRC check');
  });
});
