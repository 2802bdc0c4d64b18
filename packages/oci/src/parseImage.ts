import type { Digest } from './digest.js';
import { ImageManifestInvalidError } from './errors.js';
import { imageConfigMediaTypes, imageIndexMediaTypes, imageManifestMediaTypes, layerCompression } from './mediaTypes.js';
import {
  type ImageConfig,
  imageConfigSchema,
  type ImageIndex,
  imageIndexSchema,
  type ImageManifest,
  imageManifestSchema,
} from './schemas.js';

/** An image whose blobs are all in a store and were checked against their digests. */
export type StoredImage = {
  manifestDigest: Digest;
  manifest: ImageManifest;
  /** The image's config, parsed (entrypoint, env, working directory, diff_ids). */
  config: ImageConfig;
  storeDir: string;
};

/** The largest manifest read (distribution-spec asks registries to take at least 4 MiB). */
export const maxManifestBytes = 4 * 1024 * 1024;
/** The largest image config read. */
const maxConfigBytes = 8 * 1024 * 1024;

/**
 * Parses manifest bytes whose digest was already checked: an image manifest (OCI or Docker v2)
 * whose config and layers this package can read. An index is refused, naming its linux/amd64 entry.
 *
 * @example
 * const manifest = parseImageManifest(bytes, response.headers.get('content-type'));
 */
export function parseImageManifest(bytes: Uint8Array, contentType?: string | null): ImageManifest {
  const json = parseJson(bytes, "the image's manifest");
  const declared = (json as { mediaType?: unknown } | null)?.mediaType;
  const type = typeof declared === 'string' ? declared : contentType?.split(';')[0]?.trim();
  if ((type && imageIndexMediaTypes.includes(type)) || (json !== null && typeof json === 'object' && 'manifests' in json))
    throw indexRefusal(json);
  if (type && !imageManifestMediaTypes.includes(type))
    throw new ImageManifestInvalidError(`the image's manifest is of type ${type.slice(0, 100)}, not an image manifest`);
  const parsed = imageManifestSchema.safeParse(json);
  if (!parsed.success) throw new ImageManifestInvalidError(`the image's manifest is not valid: ${issues(parsed.error)}`, [], parsed.error);
  const manifest = parsed.data;
  if (!imageConfigMediaTypes.includes(manifest.config.mediaType))
    throw new ImageManifestInvalidError(`the image's config is of type ${manifest.config.mediaType.slice(0, 100)}, not an image config`, [
      'Only container images can run; this manifest describes another kind of artifact.',
    ]);
  if (manifest.config.size > maxConfigBytes)
    throw new ImageManifestInvalidError(
      `the image's config is said to have ${manifest.config.size} bytes, over the limit of ${maxConfigBytes}`,
    );
  manifest.layers.forEach((layer, index) => {
    if (layerCompression(layer.mediaType) === undefined)
      throw new ImageManifestInvalidError(
        `the image's layer ${index} is of type ${layer.mediaType.slice(0, 100)}, which cannot be unpacked here`,
        ['Build the image with tar or gzip layers (Docker and Buildx do by default; zstd is not supported).'],
      );
  });
  return manifest;
}

/**
 * Parses an image config whose digest was already checked, and checks it has one diff_id per layer.
 *
 * @example
 * const config = parseImageConfig(bytes, manifest);
 */
export function parseImageConfig(bytes: Uint8Array, manifest: ImageManifest): ImageConfig {
  const parsed = imageConfigSchema.safeParse(parseJson(bytes, "the image's config"));
  if (!parsed.success) throw new ImageManifestInvalidError(`the image's config is not valid: ${issues(parsed.error)}`, [], parsed.error);
  if (parsed.data.rootfs.diff_ids.length !== manifest.layers.length)
    throw new ImageManifestInvalidError(
      `the image's config names ${parsed.data.rootfs.diff_ids.length} layers but its manifest has ${manifest.layers.length}`,
    );
  return parsed.data;
}

function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new ImageManifestInvalidError(`${what} is not JSON`, [], error);
  }
}

/** An index lists one manifest per platform: say which digest to register instead. */
function indexRefusal(json: unknown): ImageManifestInvalidError {
  const parsed = imageIndexSchema.safeParse(json);
  const platform = parsed.success ? linuxAmd64(parsed.data) : undefined;
  return new ImageManifestInvalidError("the image's digest names an image index (one manifest per platform), not an image manifest", [
    platform
      ? `Register the digest of its linux/amd64 manifest instead: ${platform} (checksum 0x${platform.slice('sha256:'.length)}).`
      : 'Register the digest of the platform manifest (linux/amd64), e.g. from `docker buildx imagetools inspect <image>`, or build with `--platform linux/amd64 --provenance=false`.',
  ]);
}

function linuxAmd64(index: ImageIndex): string | undefined {
  return index.manifests.find((entry) => entry.platform?.os === 'linux' && entry.platform.architecture === 'amd64')?.digest;
}

function issues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
