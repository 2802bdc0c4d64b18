import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Digest, hexOfDigest } from './digest.js';
import { type ImageBlob, ImageDigestMismatchError, ImageManifestInvalidError, ImageNotStoredError, ImageTooLargeError } from './errors.js';

// The store is content-addressed like an OCI image layout: `<storeDir>/blobs/sha256/<hex>`, each
// written under `<storeDir>/ingest/` first and renamed once whole and verified.

/**
 * Where a blob is kept in a store.
 *
 * @example
 * blobPath('/var/lib/confidant/images', 'sha256:ab…'); // '/var/lib/confidant/images/blobs/sha256/ab…'
 */
export function blobPath(storeDir: string, digest: string): string {
  return join(storeDir, 'blobs', 'sha256', hexOfDigest(digest));
}

/** What a check needs to know of a blob: its digest and size (from a descriptor), and how to name it. */
export type ExpectedBlob = { digest: string; size: number; blob: ImageBlob };

/**
 * Hashes a stored blob: 'missing' when it is not there; throws when its digest or size is not the
 * expected one (`remove` also deletes it, so that a pull fetches it again).
 *
 * @example
 * await verifyStoredBlob(storeDir, { digest, size, blob: { kind: 'layer', index: 0 } }, { remove: true });
 */
export async function verifyStoredBlob(
  storeDir: string,
  expected: ExpectedBlob,
  options: { remove?: boolean } = {},
): Promise<'verified' | 'missing'> {
  const path = blobPath(storeDir, expected.digest);
  const found = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!found) return 'missing';
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  const actual = `sha256:${hash.digest('hex')}`;
  const failure =
    actual !== expected.digest
      ? new ImageDigestMismatchError(expected.blob, expected.digest, actual)
      : found.size !== expected.size
        ? sizeMismatch(expected, found.size)
        : undefined;
  if (!failure) return 'verified';
  if (options.remove) await rm(path, { force: true });
  throw failure;
}

/**
 * Reads a stored blob whole (a manifest or config), checking its digest and size before it is used.
 *
 * @example
 * const manifest = await readStoredBlob(storeDir, { digest, size: -1, blob: { kind: 'manifest' } }, 4 * 1024 * 1024);
 */
export async function readStoredBlob(storeDir: string, expected: ExpectedBlob, limit: number): Promise<Uint8Array> {
  const path = blobPath(storeDir, expected.digest);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ImageNotStoredError(storeDir, describe(expected.blob), expected.digest);
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size > limit) throw new ImageTooLargeError(describe(expected.blob), limit);
    const bytes = new Uint8Array(await handle.readFile());
    const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (actual !== expected.digest) throw new ImageDigestMismatchError(expected.blob, expected.digest, actual);
    if (expected.size >= 0 && bytes.length !== expected.size) throw sizeMismatch(expected, bytes.length);
    return bytes;
  } finally {
    await handle.close();
  }
}

/**
 * Streams a blob into the store, hashing and counting as it comes: more bytes than expected stop
 * the download at once, and only a whole blob whose digest matches is renamed into place, so the
 * store never holds a partial or wrong blob (not even after a crash). `durable: false` skips the
 * fsync, for a store thrown away after one run (`confidant test`'s).
 *
 * @example
 * await writeBlob(storeDir, { digest, size, blob: { kind: 'layer', index: 0 } }, response.body);
 */
export async function writeBlob(
  storeDir: string,
  expected: ExpectedBlob,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: { durable?: boolean | undefined } = {},
): Promise<void> {
  const target = blobPath(storeDir, expected.digest);
  const ingest = join(storeDir, 'ingest');
  await Promise.all([mkdir(ingest, { recursive: true }), mkdir(join(storeDir, 'blobs', 'sha256'), { recursive: true })]);
  const temporary = join(ingest, `${hexOfDigest(expected.digest)}.${randomBytes(6).toString('hex')}.partial`);
  const handle = await open(temporary, 'wx', 0o644);
  let renamed = false;
  try {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of source) {
      size += chunk.length;
      // Leaving the loop cancels the source: not one byte more is read.
      if (size > expected.size) throw new ImageDigestMismatchError(expected.blob, expected.digest, `more than ${expected.size} bytes`);
      hash.update(chunk);
      await handle.write(chunk);
    }
    const actual: Digest = `sha256:${hash.digest('hex')}`;
    if (size !== expected.size) throw new ImageDigestMismatchError(expected.blob, expected.digest, `${size} bytes of ${expected.size}`);
    if (actual !== expected.digest) throw new ImageDigestMismatchError(expected.blob, expected.digest, actual);
    if (options.durable !== false) await handle.sync();
    await handle.close();
    await rename(temporary, target);
    renamed = true;
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true });
    }
  }
}

function sizeMismatch(expected: ExpectedBlob, size: number): ImageManifestInvalidError {
  return new ImageManifestInvalidError(`${describe(expected.blob)} has ${size} bytes, not the ${expected.size} its descriptor says`, [
    'The manifest does not describe its own blobs: build and push the image again.',
  ]);
}

/** A blob's name in messages: "the image's layer 1". */
function describe(blob: ImageBlob): string {
  return blob.kind === 'layer' ? `the image's layer ${blob.index}` : `the image's ${blob.kind}`;
}
