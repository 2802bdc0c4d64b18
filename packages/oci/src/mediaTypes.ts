/** The media types this package writes, and those it reads from other registries. */
export const mediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

/** Manifests of one image (what iExec registers), as opposed to indexes of several. */
export const imageManifestMediaTypes: readonly string[] = [mediaTypes.ociManifest, mediaTypes.dockerManifest];

/** Indexes (multi-platform lists): refused where one image is expected. */
export const imageIndexMediaTypes: readonly string[] = [mediaTypes.ociIndex, mediaTypes.dockerManifestList];

/** Image configuration blobs. */
export const imageConfigMediaTypes: readonly string[] = [mediaTypes.ociConfig, mediaTypes.dockerConfig];

/**
 * How a layer's bytes are compressed, from its media type; undefined for a layer this package cannot unpack (zstd, foreign).
 *
 * @example
 * layerCompression('application/vnd.oci.image.layer.v1.tar+gzip'); // 'gzip'
 */
export function layerCompression(mediaType: string): 'none' | 'gzip' | undefined {
  if (mediaType === mediaTypes.ociLayer || mediaType === mediaTypes.dockerLayer) return 'none';
  if (mediaType === mediaTypes.ociLayerGzip || mediaType === mediaTypes.dockerLayerGzip) return 'gzip';
  return undefined;
}
