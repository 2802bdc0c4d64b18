import { lstat, mkdir, mkdtemp, readFile, readlink, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawTar, storeLayers } from '../test/imageStore.js';
import { buildImage } from './buildImage.js';
import { ImageDigestMismatchError, ImageTooLargeError, UnsafeImageEntryError } from './errors.js';
import { openImage } from './openImage.js';
import { unpackImage } from './unpackImage.js';

let work: string;
let storeDir: string;
let rootDir: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'confidant-oci-'));
  storeDir = join(work, 'store');
  // The root sits beside `outside`, so an escape would land there.
  rootDir = join(work, 'root');
  await mkdir(join(work, 'outside'));
  await writeFile(join(work, 'outside', 'target'), 'untouched');
});
afterEach(() => rm(work, { recursive: true, force: true }));

const mode = async (path: string) => (await stat(path)).mode & 0o7777;

describe('unpackImage', () => {
  it('unpacks a built image: nested directories, contents and exec bits', async () => {
    const built = await buildImage({
      files: { 'index.js': 'hello', 'bin/start': { data: '#!/bin/sh', executable: true }, 'a/b/c/d.txt': new Uint8Array([0, 255]) },
      entrypoint: ['/app/bin/start'],
    });
    const image = await storeLayers(storeDir, [{ tar: built.layers[0]?.bytes as Uint8Array }]);
    expect(image.manifest.layers[0]?.digest).toBe(built.layers[0]?.digest);
    const result = await unpackImage(image, rootDir);
    expect(await readFile(join(rootDir, 'app/index.js'), 'utf8')).toBe('hello');
    expect([...(await readFile(join(rootDir, 'app/a/b/c/d.txt')))]).toEqual([0, 255]);
    expect(await mode(join(rootDir, 'app/bin/start'))).toBe(0o755);
    expect(await mode(join(rootDir, 'app/index.js'))).toBe(0o644);
    expect(await mode(join(rootDir, 'app/a/b'))).toBe(0o755);
    expect(result).toEqual({ entries: 8, bytes: 16, skipped: [] });
  });

  it('unpacks gzip layers (as public images have them), symlinks as they are, hard links, and skips devices', async () => {
    const tar = await rawTar([
      { name: './usr/', type: 'directory' },
      { name: './usr/bin/', type: 'directory' },
      { name: './usr/bin/tool', data: 'tool', mode: 0o4755 },
      { name: './usr/bin/alias', type: 'link', linkname: 'usr/bin/tool' },
      { name: './bin', type: 'symlink', linkname: 'usr/bin' },
      { name: './etc/resolv.conf', type: 'symlink', linkname: '/run/resolv.conf' },
      { name: './dev/null', type: 'character-device', devmajor: 1, devminor: 3 },
      { name: './run/pipe', type: 'fifo' },
    ]);
    const result = await unpackImage(await storeLayers(storeDir, [{ tar, gzip: true }]), rootDir);
    expect(await readFile(join(rootDir, 'usr/bin/tool'), 'utf8')).toBe('tool');
    // setuid is not kept.
    expect(await mode(join(rootDir, 'usr/bin/tool'))).toBe(0o755);
    expect((await stat(join(rootDir, 'usr/bin/alias'))).ino).toBe((await stat(join(rootDir, 'usr/bin/tool'))).ino);
    expect(await readlink(join(rootDir, 'bin'))).toBe('usr/bin');
    expect(await readlink(join(rootDir, 'etc/resolv.conf'))).toBe('/run/resolv.conf');
    expect(result.skipped).toEqual(['dev/null', 'run/pipe']);
  });

  it('applies whiteouts: a deleted file, an opaque directory, and keeps what the same layer adds', async () => {
    const lower = await rawTar([
      { name: 'a/', type: 'directory' },
      { name: 'a/b', data: 'b' },
      { name: 'a/c', data: 'c' },
      { name: 'd/', type: 'directory' },
      { name: 'd/e', data: 'e' },
      { name: 'd/sub/', type: 'directory' },
      { name: 'd/sub/f', data: 'f' },
      { name: 'link', type: 'symlink', linkname: '/' },
    ]);
    const upper = await rawTar([
      { name: 'a/.wh.b', data: '' },
      { name: 'd/', type: 'directory' },
      { name: 'd/new', data: 'new' },
      { name: 'd/.wh..wh..opq', data: '' },
      { name: '.wh.link', data: '' },
    ]);
    await unpackImage(await storeLayers(storeDir, [{ tar: lower }, { tar: upper, gzip: true }]), rootDir);
    expect((await readdir(join(rootDir, 'a'))).sort()).toEqual(['c']);
    expect((await readdir(join(rootDir, 'd'))).sort()).toEqual(['new']);
    expect((await readdir(rootDir)).sort()).toEqual(['a', 'd']);
  });

  it.each([
    ['a path with ..', [{ name: '../outside/x', data: 'x' }], 'has a ".." segment in its path'],
    ['an absolute path', [{ name: '/etc/x', data: 'x' }], 'has an absolute path'],
    [
      'a file through a symlink to /',
      [
        { name: 'escape', type: 'symlink' as const, linkname: '/' },
        { name: 'escape/tmp/x', data: 'x' },
      ],
      'goes through the symbolic link escape',
    ],
    [
      'a file through a symlink to ..',
      [
        { name: 'up', type: 'symlink' as const, linkname: '../outside' },
        { name: 'up/target', data: 'overwritten' },
      ],
      'goes through the symbolic link up',
    ],
    ['a hard link outside', [{ name: 'stolen', type: 'link' as const, linkname: '../outside/target' }], 'has a ".." segment'],
    ['a hard link to an absolute path', [{ name: 'passwd', type: 'link' as const, linkname: '/etc/passwd' }], 'has an absolute path'],
    [
      'a hard link through a symlink',
      [
        { name: 'up', type: 'symlink' as const, linkname: '../outside' },
        { name: 'stolen', type: 'link' as const, linkname: 'up/target' },
      ],
      'goes through the symbolic link up',
    ],
    [
      'a whiteout through a symlink',
      [
        { name: 'up', type: 'symlink' as const, linkname: '../outside' },
        { name: 'up/.wh.target', data: '' },
      ],
      'goes through the symbolic link up',
    ],
  ])('refuses %s, and nothing lands outside', async (_label, entries, reason) => {
    const image = await storeLayers(storeDir, [{ tar: await rawTar(entries) }]);
    const refusal = unpackImage(image, rootDir);
    await expect(refusal).rejects.toThrow(UnsafeImageEntryError);
    await expect(refusal).rejects.toThrow(reason);
    expect(await readdir(join(work, 'outside'))).toEqual(['target']);
    expect(await readFile(join(work, 'outside', 'target'), 'utf8')).toBe('untouched');
    await expect(lstat('/tmp/x')).rejects.toThrow();
  });

  it('replaces a symlink by the file of an upper layer instead of writing through it', async () => {
    const lower = await rawTar([{ name: 'config', type: 'symlink', linkname: '../outside/target' }]);
    const upper = await rawTar([{ name: 'config', data: 'mine' }]);
    await unpackImage(await storeLayers(storeDir, [{ tar: lower }, { tar: upper }]), rootDir);
    expect(await readFile(join(rootDir, 'config'), 'utf8')).toBe('mine');
    expect(await readFile(join(work, 'outside', 'target'), 'utf8')).toBe('untouched');
  });

  it('stops at its size and entry limits', async () => {
    const image = await storeLayers(storeDir, [
      {
        tar: await rawTar([
          { name: 'big', data: new Uint8Array(4096) },
          { name: 'small', data: 'x' },
        ]),
      },
    ]);
    await expect(unpackImage(image, join(work, 'r1'), { maxBytes: 4000 })).rejects.toThrow(ImageTooLargeError);
    await expect(unpackImage(image, join(work, 'r2'), { maxEntries: 1 })).rejects.toThrow(ImageTooLargeError);
    await expect(unpackImage(image, join(work, 'r3'), { maxBytes: 4097 })).resolves.toMatchObject({ bytes: 4097 });
  });

  it('refuses a layer changed in the store, before unpacking it (openImage) and while unpacking it', async () => {
    const image = await storeLayers(storeDir, [{ tar: await rawTar([{ name: 'file', data: 'original' }]) }]);
    const path = join(storeDir, 'blobs', 'sha256', (image.manifest.layers[0]?.digest as string).slice(7));
    const bytes = await readFile(path);
    bytes[512] = 'O'.charCodeAt(0);
    await writeFile(path, bytes);
    const reopened = openImage({ storeDir, digest: image.manifestDigest });
    await expect(reopened).rejects.toThrow(ImageDigestMismatchError);
    await expect(reopened).rejects.toThrow(
      /^the image's layer 0 is not the one its manifest names: sha256:[0-9a-f]{64} expected, sha256:[0-9a-f]{64} received/,
    );
    await expect(unpackImage(image, rootDir)).rejects.toThrow(ImageDigestMismatchError);
  });

  it('refuses a config whose diff_id is not the uncompressed layer', async () => {
    const tar = await rawTar([{ name: 'file', data: 'x' }]);
    const image = await storeLayers(storeDir, [{ tar, gzip: true }]);
    const other = { ...image, config: { ...image.config, rootfs: { type: 'layers' as const, diff_ids: [`sha256:${'0'.repeat(64)}`] } } };
    await expect(unpackImage(other, rootDir)).rejects.toThrow("the image's layer 0 (uncompressed) is not the one its config names");
  });
});

describe('unpackImage on a broken layer', () => {
  it('says a layer is not a tar when its bytes are the ones named but do not parse', async () => {
    const image = await storeLayers(storeDir, [{ tar: new Uint8Array(600).fill(7) }]);
    await expect(unpackImage(image, rootDir)).rejects.toThrow("the image's layer 0 is not a valid tar");
    const gzipped = await storeLayers(join(work, 'store2'), [{ tar: new Uint8Array(600).fill(7), gzip: true }]);
    await expect(unpackImage(gzipped, join(work, 'root2'))).rejects.toThrow("the image's layer 0 is not a valid gzip-compressed tar");
  });

  it('says a layer was changed when it no longer parses because of it', async () => {
    const image = await storeLayers(storeDir, [{ tar: await rawTar([{ name: 'file', data: 'x' }]), gzip: true }]);
    await writeFile(join(storeDir, 'blobs', 'sha256', (image.manifest.layers[0]?.digest as string).slice(7)), 'not gzip at all');
    await expect(unpackImage(image, rootDir)).rejects.toThrow(ImageDigestMismatchError);
  });
});
