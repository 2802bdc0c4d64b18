import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, realpath, stat } from 'node:fs/promises';
import { pipeline, Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { ImageDigestMismatchError, ImageManifestInvalidError, ImageNotStoredError } from './errors.js';
import { layerCompression } from './mediaTypes.js';
import type { StoredImage } from './parseImage.js';
import { blobPath, verifyStoredBlob } from './store.js';
import { applyEntry, type UnpackState } from './unpackEntry.js';

export type UnpackImageOptions = {
  /** The most bytes of file content the layers may unpack to, all together (default 4 GiB). */
  maxBytes?: number | undefined;
  /** The most entries the layers may hold, all together (default 1,000,000). */
  maxEntries?: number | undefined;
};

export type UnpackImageReturnType = {
  /** Entries applied (files, directories, links, whiteouts). */
  entries: number;
  /** Bytes of file content written. */
  bytes: number;
  /** Devices and FIFOs of the image, which are not created. */
  skipped: string[];
};

/**
 * Unpacks an image's layers in order into a directory (tar and tar+gzip layers), each one hashed
 * again while it is read (compressed against the manifest, uncompressed against the config's
 * diff_ids). Whiteouts delete what lower layers put there; exec bits are kept, setuid/setgid and
 * ownership are not. Refused: paths that are absolute, contain `..` or go through a symlink, hard
 * links to anything but a file of the image, and sizes over the limits. Devices and FIFOs are
 * skipped (listed in `skipped`): an unprivileged process cannot make them and no iApp needs them.
 * Symlinks are created as they are and never followed while unpacking; an absolute target means
 * the image's root, so whoever runs the image must resolve it under `rootDir`. After a refusal
 * `rootDir` holds part of the image: remove it.
 *
 * @example
 * const image = await openImage({ storeDir, digest });
 * await unpackImage(image, '/tmp/task-123/rootfs');
 */
export async function unpackImage(image: StoredImage, rootDir: string, options: UnpackImageOptions = {}): Promise<UnpackImageReturnType> {
  await mkdir(rootDir, { recursive: true });
  const state: UnpackState = {
    root: await realpath(rootDir),
    maxBytes: options.maxBytes ?? 4 * 1024 * 1024 * 1024,
    maxEntries: options.maxEntries ?? 1_000_000,
    bytes: 0,
    entries: 0,
    skipped: [],
    directories: new Set(),
    directoryModes: new Map(),
    written: new Set(),
  };
  for (const index of image.manifest.layers.keys()) {
    state.written = new Set();
    await unpackLayer(image, index, state);
  }
  // Deepest first, so that a directory made read-only does not keep its children from being set.
  for (const [path, mode] of [...state.directoryModes].sort(([a], [b]) => b.length - a.length)) await chmod(path, mode);
  return { entries: state.entries, bytes: state.bytes, skipped: state.skipped };
}

async function unpackLayer(image: StoredImage, index: number, state: UnpackState): Promise<void> {
  const layer = image.manifest.layers[index];
  const diffId = image.config.rootfs.diff_ids[index];
  const compression = layer ? layerCompression(layer.mediaType) : undefined;
  if (!layer || !diffId || !compression) throw new ImageManifestInvalidError(`the image's layer ${index} cannot be unpacked`);
  const path = blobPath(image.storeDir, layer.digest);
  if (!(await stat(path).catch(() => undefined))) throw new ImageNotStoredError(image.storeDir, `the image's layer ${index}`, layer.digest);
  const stored = createHash('sha256');
  const plain = compression === 'gzip' ? createHash('sha256') : stored;
  const file = createReadStream(path);
  const extractor = extract();
  const stages: (Readable | Transform)[] =
    compression === 'gzip' ? [file, hashing(stored), createGunzip(), hashing(plain)] : [file, hashing(stored)];
  const tarStream = pipeline(stages as [Readable, ...Transform[]], (error) => {
    if (error) extractor.destroy(error);
  }) as unknown as Readable;
  tarStream.pipe(extractor as unknown as NodeJS.WritableStream);
  const entries = extractor[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await entries.next().catch(async (error: unknown) => {
        // A layer that does not parse is either not the one named (say so) or a broken image.
        await verifyStoredBlob(image.storeDir, { digest: layer.digest, size: layer.size, blob: { kind: 'layer', index } });
        throw new ImageManifestInvalidError(
          `the image's layer ${index} is not a valid ${compression === 'gzip' ? 'gzip-compressed ' : ''}tar`,
          [],
          error,
        );
      });
      if (next.done) break;
      await applyEntry(state, next.value.header, next.value as AsyncIterable<Uint8Array>);
      next.value.resume();
    }
  } finally {
    file.destroy();
    extractor.destroy();
  }
  const storedDigest = `sha256:${stored.digest('hex')}`;
  if (storedDigest !== layer.digest) throw new ImageDigestMismatchError({ kind: 'layer', index }, layer.digest, storedDigest);
  const plainDigest = compression === 'gzip' ? `sha256:${plain.digest('hex')}` : storedDigest;
  if (plainDigest !== diffId) throw new ImageDigestMismatchError({ kind: 'layer', index, uncompressed: true }, diffId, plainDigest);
}

function hashing(hash: Hash): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}
