import { canonicalJson } from './canonicalJson.js';
import { type Digest, digestOf } from './digest.js';
import { ImageBuildError } from './errors.js';
import { mediaTypes } from './mediaTypes.js';
import type { ImageConfig } from './schemas.js';
import { deterministicTar, type TarEntry } from './tar.js';

/** A file's content: bytes, text (UTF-8), or either with its executable bit. */
export type ImageFile = Uint8Array | string | { data: Uint8Array | string; executable?: boolean | undefined };

export type BuildImageParameters = {
  /** The files, by relative POSIX path under `workingDir` (`src/index.js`). */
  files: Readonly<Record<string, ImageFile>>;
  /** Absolute POSIX path the files are put under, and the process starts in (default `/app`). */
  workingDir?: string | undefined;
  /** The command the image runs, e.g. `['node', 'index.js']`. */
  entrypoint: readonly string[];
  /** Default arguments after the entrypoint. */
  cmd?: readonly string[] | undefined;
  /** Environment variables, written sorted by name. */
  env?: Readonly<Record<string, string>> | undefined;
  labels?: Readonly<Record<string, string>> | undefined;
};

/** A layer of a built image, with its bytes. */
export type ImageLayer = { mediaType: string; digest: Digest; size: number; bytes: Uint8Array };

/** A built image: the bytes to push (manifest, config, layers) and their digests. */
export type BuiltImage = {
  /** The manifest's media type (OCI image manifest). */
  mediaType: string;
  manifest: Uint8Array;
  /** What iExec registers as the app's checksum (see checksumOfDigest). */
  manifestDigest: Digest;
  config: Uint8Array;
  configDigest: Digest;
  layers: ImageLayer[];
  /** The config, parsed. */
  imageConfig: ImageConfig;
};

const encoder = new TextEncoder();

/**
 * Builds a linux/amd64 OCI image of one uncompressed layer from files in memory. The same input
 * always gives byte-identical output, so the same files give the same manifest digest on every
 * machine (no timestamps, no compression, canonical JSON).
 *
 * @example
 * const image = await buildImage({ files: { 'index.js': 'console.log("hi")' }, entrypoint: ['node', '/app/index.js'] });
 * image.manifestDigest; // 'sha256:…'
 */
export async function buildImage(parameters: BuildImageParameters): Promise<BuiltImage> {
  const given = parameters.workingDir ?? '/app';
  const base = segmentsOf(given.replace(/^\/+|\/+$/g, ''), `the working directory "${given}"`, given.startsWith('/'));
  const workingDir = `/${base.join('/')}`;
  const layerBytes = await deterministicTar(layerEntries(parameters.files, base));
  const layer: ImageLayer = { mediaType: mediaTypes.ociLayer, digest: digestOf(layerBytes), size: layerBytes.length, bytes: layerBytes };
  const imageConfig: ImageConfig = {
    architecture: 'amd64',
    os: 'linux',
    config: {
      Entrypoint: [...parameters.entrypoint],
      ...(parameters.cmd ? { Cmd: [...parameters.cmd] } : {}),
      WorkingDir: workingDir,
      ...(parameters.env ? { Env: environment(parameters.env) } : {}),
      ...(parameters.labels ? { Labels: { ...parameters.labels } } : {}),
    },
    rootfs: { type: 'layers', diff_ids: [layer.digest] },
  };
  const config = encoder.encode(canonicalJson(imageConfig));
  const configDigest = digestOf(config);
  const manifest = encoder.encode(
    canonicalJson({
      schemaVersion: 2,
      mediaType: mediaTypes.ociManifest,
      config: { mediaType: mediaTypes.ociConfig, digest: configDigest, size: config.length },
      layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }],
    }),
  );
  return {
    mediaType: mediaTypes.ociManifest,
    manifest,
    manifestDigest: digestOf(manifest),
    config,
    configDigest,
    layers: [layer],
    imageConfig,
  };
}

/** The layer's entries: every file under the working directory and each parent directory once, sorted by path. */
function layerEntries(files: Readonly<Record<string, ImageFile>>, base: readonly string[]): TarEntry[] {
  const entries = new Map<string, TarEntry>();
  const addDirectories = (segments: readonly string[]) => {
    for (let depth = 1; depth <= segments.length; depth++) {
      const path = segments.slice(0, depth).join('/');
      const existing = entries.get(path);
      if (existing?.type === 'file')
        throw new ImageBuildError(`the file "${path}"`, 'is also the parent directory of another file', 'Rename one of them.');
      entries.set(path, { path, type: 'directory' });
    }
  };
  addDirectories(base);
  for (const [name, file] of Object.entries(files)) {
    const segments = segmentsOf(name, `the file "${name}"`, true);
    if (segments.length === 0)
      throw new ImageBuildError(`the file "${name}"`, 'has no name', 'Name each file by a relative path such as "index.js".');
    const path = [...base, ...segments].join('/');
    if (entries.has(path))
      throw new ImageBuildError(`the file "${name}"`, 'is also the parent directory of another file', 'Rename one of them.');
    addDirectories([...base, ...segments.slice(0, -1)]);
    const { data, executable } = typeof file === 'string' || file instanceof Uint8Array ? { data: file, executable: false } : (file ?? {});
    if (typeof data !== 'string' && !(data instanceof Uint8Array))
      throw new ImageBuildError(`the file "${name}"`, 'has no content', 'Give its content as a string or a Uint8Array.');
    entries.set(path, {
      path,
      type: 'file',
      data: typeof data === 'string' ? encoder.encode(data) : data,
      executable: executable === true,
    });
  }
  return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The segments of a relative POSIX path; refuses what would not unpack to that same path (., .., empty, whiteouts). */
function segmentsOf(path: string, subject: string, valid: boolean): string[] {
  const hint = 'Use a relative POSIX path such as "src/index.js" (an absolute one such as "/app" for the working directory).';
  if (!valid || path.startsWith('/')) throw new ImageBuildError(subject, 'is not where it should be', hint);
  if (path === '') return [];
  if (/[\\\0]/.test(path)) throw new ImageBuildError(subject, 'has a backslash or NUL character', hint);
  const segments = path.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..'))
    throw new ImageBuildError(subject, 'has an empty, "." or ".." segment', hint);
  if (segments.some((segment) => segment.startsWith('.wh.')))
    throw new ImageBuildError(subject, 'starts with ".wh.", which image layers use to delete files', 'Rename it.');
  return segments;
}

function environment(env: Readonly<Record<string, string>>): string[] {
  return Object.keys(env)
    .sort()
    .map((name) => {
      if (name === '' || name.includes('=') || name.includes('\0'))
        throw new ImageBuildError(`the environment variable "${name}"`, 'has no valid name', 'Name it without "=" or NUL, e.g. NODE_ENV.');
      return `${name}=${env[name]}`;
    });
}
