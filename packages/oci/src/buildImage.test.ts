import { describe, expect, it } from 'vitest';
import { extract, type Header } from 'tar-stream';
import { buildImage, type BuildImageParameters } from './buildImage.js';
import { digestOf } from './digest.js';
import { ImageBuildError } from './errors.js';

const files = {
  'index.js': 'console.log("hello")\n',
  'lib/util.js': new Uint8Array([1, 2, 3]),
  'bin/start': { data: '#!/bin/sh\nexec node /app/index.js\n', executable: true },
};
const base: BuildImageParameters = { files, entrypoint: ['node', 'index.js'], env: { B: '2', A: '1' }, labels: { team: 'confidant' } };

async function entriesOf(tar: Uint8Array): Promise<{ header: Header; text: string }[]> {
  const extractor = extract();
  const found: { header: Header; text: string }[] = [];
  const reading = (async () => {
    for await (const entry of extractor) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      found.push({ header: entry.header, text: Buffer.concat(chunks).toString() });
    }
  })();
  extractor.end(Buffer.from(tar));
  await reading;
  return found;
}

describe('buildImage', () => {
  it('gives byte-identical images for the same input, whatever the order of its keys', async () => {
    const first = await buildImage(base);
    const second = await buildImage({
      ...base,
      files: { 'bin/start': files['bin/start'], 'lib/util.js': files['lib/util.js'], 'index.js': files['index.js'] },
      env: { A: '1', B: '2' },
    });
    expect(second.manifest).toEqual(first.manifest);
    expect(second.config).toEqual(first.config);
    expect(second.layers[0]?.bytes).toEqual(first.layers[0]?.bytes);
    expect(second.manifestDigest).toBe(first.manifestDigest);
    expect(first.manifestDigest).toBe(digestOf(first.manifest));
    // Pinned: the same files give this digest on every machine (no timestamps, no zlib).
    expect(first.manifestDigest).toMatchInlineSnapshot(`"sha256:08d8582e8adc5f67a2b6d1d81ede23834bd7d4cd70c8860df649372f8457d153"`);
  });

  it('gives another digest when a byte, a mode or a path changes', async () => {
    const digests = new Set(
      await Promise.all(
        [
          base,
          { ...base, files: { ...files, 'index.js': 'console.log("hellO")\n' } },
          { ...base, files: { ...files, 'index.js': { data: files['index.js'], executable: true } } },
          { ...base, files: { 'main.js': files['index.js'], 'lib/util.js': files['lib/util.js'], 'bin/start': files['bin/start'] } },
          { ...base, workingDir: '/srv' },
          { ...base, entrypoint: ['node', 'main.js'] },
        ].map(async (parameters) => (await buildImage(parameters)).manifestDigest),
      ),
    );
    expect(digests.size).toBe(6);
  });

  it('writes an OCI manifest and a linux/amd64 config without timestamps, in canonical JSON', async () => {
    const image = await buildImage(base);
    const manifest = JSON.parse(new TextDecoder().decode(image.manifest));
    expect(manifest).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: image.configDigest, size: image.config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: image.layers[0]?.digest, size: image.layers[0]?.size }],
    });
    expect(new TextDecoder().decode(image.config)).toBe(
      `{"architecture":"amd64","config":{"Entrypoint":["node","index.js"],"Env":["A=1","B=2"],"Labels":{"team":"confidant"},"WorkingDir":"/app"},"os":"linux","rootfs":{"diff_ids":["${image.layers[0]?.digest}"],"type":"layers"}}`,
    );
    expect(image.imageConfig.config?.Env).toEqual(['A=1', 'B=2']);
  });

  it('makes one uncompressed tar, parents first, owned by root with no names, mtime 0, 0644/0755', async () => {
    const image = await buildImage(base);
    const entries = await entriesOf(image.layers[0]?.bytes as Uint8Array);
    expect(entries.map(({ header }) => [header.name, header.type, header.mode.toString(8)])).toEqual([
      ['app/', 'directory', '755'],
      ['app/bin/', 'directory', '755'],
      ['app/bin/start', 'file', '755'],
      ['app/index.js', 'file', '644'],
      ['app/lib/', 'directory', '755'],
      ['app/lib/util.js', 'file', '644'],
    ]);
    for (const { header } of entries) {
      expect([header.uid, header.gid, header.uname, header.gname, header.mtime.getTime()]).toEqual([0, 0, '', '', 0]);
    }
    expect(entries[3]?.text).toBe('console.log("hello")\n');
  });

  it('keeps paths too long for ustar, and non-ASCII names, in PAX headers', async () => {
    const long = `${'deep/'.repeat(40)}file.txt`;
    const image = await buildImage({ files: { [long]: 'x', 'café.txt': 'y' }, entrypoint: ['true'], workingDir: '/' });
    const names = (await entriesOf(image.layers[0]?.bytes as Uint8Array)).map(({ header }) => header.name);
    expect(names).toContain(long);
    expect(names).toContain('café.txt');
  });

  it.each([
    ['/etc/passwd', 'an absolute path'],
    ['../x', 'a ".." segment'],
    ['a//b', 'an empty segment'],
    ['./a', 'a "." segment'],
    ['a\\b', 'a backslash'],
    ['dir/.wh.secret', 'a whiteout name'],
  ])('refuses a file at %s (%s)', async (path) => {
    await expect(buildImage({ files: { [path]: 'x' }, entrypoint: ['true'] })).rejects.toThrow(ImageBuildError);
  });

  it('refuses a file that is also a directory, a relative working directory and a bad variable name', async () => {
    await expect(buildImage({ files: { a: 'x', 'a/b': 'y' }, entrypoint: ['true'] })).rejects.toThrow('is also the parent directory');
    await expect(buildImage({ files: { 'a/b': 'y', a: 'x' }, entrypoint: ['true'] })).rejects.toThrow('is also the parent directory');
    await expect(buildImage({ files: {}, entrypoint: ['true'], workingDir: 'app' })).rejects.toThrow(ImageBuildError);
    await expect(buildImage({ files: {}, entrypoint: ['true'], env: { 'A=B': 'c' } })).rejects.toThrow('has no valid name');
    await expect(buildImage({ files: { a: undefined as never }, entrypoint: ['true'] })).rejects.toThrow('has no content');
  });
});
