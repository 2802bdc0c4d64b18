import { type Digest, isDigest } from './digest.js';
import { ImageNotStoredError, ImageReferenceError } from './errors.js';
import { maxManifestBytes, parseImageConfig, parseImageManifest, type StoredImage } from './parseImage.js';
import { readStoredBlob, verifyStoredBlob } from './store.js';

export type OpenImageParameters = {
  storeDir: string;
  /** The manifest digest (the registered checksum, see digestOfChecksum). */
  digest: string;
};

/**
 * Opens an image from a store, checking every blob against its digest again (manifest, config and
 * each layer, hashed whole): what runs in the enclave is checked by the enclave, never taken on the
 * word of whoever pulled it. Nothing is removed or fetched.
 *
 * @example
 * const image = await openImage({ storeDir, digest: digestOfChecksum(app.checksum) });
 * await unpackImage(image, rootDir);
 */
export async function openImage(parameters: OpenImageParameters): Promise<StoredImage> {
  const { storeDir } = parameters;
  if (!isDigest(parameters.digest))
    throw new ImageReferenceError(parameters.digest, 'is not a sha256 digest (sha256: and 64 lowercase hex digits)');
  const digest: Digest = parameters.digest;
  const manifest = parseImageManifest(await readStoredBlob(storeDir, { digest, size: -1, blob: { kind: 'manifest' } }, maxManifestBytes));
  const configBytes = await readStoredBlob(
    storeDir,
    { digest: manifest.config.digest, size: manifest.config.size, blob: { kind: 'config' } },
    manifest.config.size,
  );
  const config = parseImageConfig(configBytes, manifest);
  for (const [index, layer] of manifest.layers.entries()) {
    const found = await verifyStoredBlob(storeDir, { digest: layer.digest, size: layer.size, blob: { kind: 'layer', index } });
    if (found === 'missing') throw new ImageNotStoredError(storeDir, `the image's layer ${index}`, layer.digest);
  }
  return { manifestDigest: digest, manifest, config, storeDir };
}
