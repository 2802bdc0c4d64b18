import { type Digest, digestOf, isDigest } from './digest.js';
import { ImageDigestMismatchError, ImageReferenceError, ImageTooLargeError } from './errors.js';
import { imageIndexMediaTypes, imageManifestMediaTypes } from './mediaTypes.js';
import { maxManifestBytes, parseImageConfig, parseImageManifest, type StoredImage } from './parseImage.js';
import { parseImageReference, registryBaseUrl } from './reference.js';
import { createRegistrySession, type FetchFunction, readBody, type RegistrySession, bodyChunks } from './registryHttp.js';
import { type ExpectedBlob, readStoredBlob, verifyStoredBlob, writeBlob } from './store.js';

export type PullImageParameters = {
  /** Where the image is, e.g. `127.0.0.1:5000/confidant/hello:1.0.0` (an app's multiaddr); a tag in it is not used. */
  reference: string;
  /** The manifest digest to pull (the app's checksum, see digestOfChecksum); optional when the reference ends with `@sha256:…`. */
  digest?: string | undefined;
  /** The content-addressed store the blobs are written to (`<storeDir>/blobs/sha256/<hex>`). */
  storeDir: string;
  /** The most bytes the whole image (manifest, config and layers as stored) may have; default 2 GiB. */
  maxBytes?: number | undefined;
  fetch?: FetchFunction | undefined;
};

const defaultMaxBytes = 2 * 1024 * 1024 * 1024;

/**
 * Pulls an image by its manifest digest into a content-addressed store, trusting nothing the
 * registry says: the manifest's bytes are checked against the digest before they are parsed, and
 * every blob is hashed and counted while it streams to disk (a blob bigger than its descriptor is
 * cut off at once). Blobs already in the store are checked again instead of downloaded. Public
 * registries are reached with their anonymous token flow.
 *
 * @example
 * const image = await pullImage({ reference: app.multiaddr, digest: digestOfChecksum(app.checksum), storeDir });
 * await unpackImage(await openImage({ storeDir, digest: image.manifestDigest }), rootDir);
 */
export async function pullImage(parameters: PullImageParameters): Promise<StoredImage> {
  const reference = parseImageReference(parameters.reference);
  const digest = expectedDigest(parameters.reference, reference.digest, parameters.digest);
  const maxBytes = parameters.maxBytes ?? defaultMaxBytes;
  const { storeDir } = parameters;
  let opened: RegistrySession | undefined;
  // No request at all when everything is already in the store.
  const session = () =>
    (opened ??= createRegistrySession({
      baseUrl: registryBaseUrl(reference.registry),
      repository: reference.repository,
      actions: 'pull',
      fetch: parameters.fetch,
    }));
  const base = `/v2/${reference.repository}`;
  const { bytes, contentType } = await loadManifest(storeDir, digest, () =>
    fetchManifest(session(), `${base}/manifests/${digest}`, digest),
  );
  const manifest = parseImageManifest(bytes, contentType);
  const total = manifest.layers.reduce((sum, layer) => sum + layer.size, bytes.length + manifest.config.size);
  if (total > maxBytes) throw new ImageTooLargeError(`the image (${total} bytes)`, maxBytes);
  if (contentType !== undefined) await writeBlob(storeDir, { digest, size: bytes.length, blob: { kind: 'manifest' } }, [bytes]);
  const ensure = (expected: ExpectedBlob) => ensureBlob(storeDir, expected, session, `${base}/blobs/${expected.digest}`);
  await ensure({ digest: manifest.config.digest, size: manifest.config.size, blob: { kind: 'config' } });
  const config = parseImageConfig(
    await readStoredBlob(storeDir, { ...manifest.config, blob: { kind: 'config' } }, manifest.config.size),
    manifest,
  );
  for (const [index, layer] of manifest.layers.entries())
    await ensure({ digest: layer.digest, size: layer.size, blob: { kind: 'layer', index } });
  return { manifestDigest: digest, manifest, config, storeDir };
}

function expectedDigest(input: string, inReference: Digest | undefined, given: string | undefined): Digest {
  const digest = given ?? inReference;
  if (digest === undefined)
    throw new ImageReferenceError(input, 'names no digest to pull', [
      'Pull by the digest that was registered (the app checksum, see digestOfChecksum).',
    ]);
  if (!isDigest(digest)) throw new ImageReferenceError(digest, 'is not a sha256 digest (sha256: and 64 lowercase hex digits)');
  if (inReference !== undefined && inReference !== digest)
    throw new ImageReferenceError(input, `names another digest than ${digest}`, [
      'Give the reference without a digest, or the same digest.',
    ]);
  return digest;
}

/** The manifest from the store when it is there and intact, else from the registry (content type known then). */
async function loadManifest(
  storeDir: string,
  digest: Digest,
  fetchIt: () => Promise<{ bytes: Uint8Array; contentType: string }>,
): Promise<{ bytes: Uint8Array; contentType?: string | undefined }> {
  const expected: ExpectedBlob = { digest, size: -1, blob: { kind: 'manifest' } };
  const stored = await readStoredBlob(storeDir, expected, maxManifestBytes).catch(() => undefined);
  return stored ? { bytes: stored } : fetchIt();
}

async function fetchManifest(
  session: RegistrySession,
  target: string,
  digest: Digest,
): Promise<{ bytes: Uint8Array; contentType: string }> {
  const accept = [...imageManifestMediaTypes, ...imageIndexMediaTypes].join(', ');
  const response = await session.request({ method: 'GET', target, headers: { accept }, expect: [200] });
  const bytes = await readBody(response, maxManifestBytes, "the image's manifest");
  // Checked before anything reads it: a registry cannot make the parser see other bytes.
  const actual = digestOf(bytes);
  if (actual !== digest) throw new ImageDigestMismatchError({ kind: 'manifest' }, digest, actual);
  return { bytes, contentType: response.headers.get('content-type') ?? '' };
}

async function ensureBlob(storeDir: string, expected: ExpectedBlob, session: () => RegistrySession, target: string): Promise<void> {
  // A stored blob that fails its check is removed and fetched again.
  const stored = await verifyStoredBlob(storeDir, expected, { remove: true }).catch(() => 'missing' as const);
  if (stored === 'verified') return;
  const response = await session().request({ method: 'GET', target, expect: [200] });
  await writeBlob(storeDir, expected, bodyChunks(response));
}
