import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';

// Layout under the data directory, after distribution's own:
//   blobs/sha256/<hex>                                   every blob and manifest, by digest
//   repositories/<name>/_manifests/revisions/sha256/<hex> a manifest pushed to <name>; holds its media type
//   repositories/<name>/_manifests/tags.json             { tag: digest }, rewritten whole (case-safe on any file system)
//   uploads/<id>                                         uploads in progress, emptied at start
// Repository path components start with [a-z0-9], so `_manifests` never collides with a name.

/** A manifest as stored: where its bytes are, and what it is. */
export type StoredManifest = { digest: string; mediaType: string; size: number; path: string };

const tagsSchema = z.record(z.string(), z.string());

/** The registry's files: blobs by digest, manifests and tags by repository. */
export type RegistryStore = ReturnType<typeof createRegistryStore>;

/**
 * Opens the registry's files under a data directory (created if missing).
 *
 * @example
 * const store = createRegistryStore('/var/lib/confidant/registry');
 * await store.blobSize('sha256:…'); // undefined when absent
 */
export function createRegistryStore(dataDir: string) {
  const blobPath = (digest: string) => join(dataDir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  const repositoryDir = (name: string) => join(dataDir, 'repositories', ...name.split('/'), '_manifests');
  const revisionPath = (name: string, digest: string) => join(repositoryDir(name), 'revisions', 'sha256', digest.slice('sha256:'.length));
  const tagsPath = (name: string) => join(repositoryDir(name), 'tags.json');
  // Tag updates of one repository, one after the other: each rewrites the whole file.
  const tagWrites = new Map<string, Promise<unknown>>();

  const readTags = async (name: string): Promise<Record<string, string> | undefined> => {
    const text = await readFile(tagsPath(name), 'utf8').catch(absent);
    return text === undefined ? undefined : tagsSchema.parse(JSON.parse(text));
  };

  return {
    uploadsDir: join(dataDir, 'uploads'),
    blobPath,
    async prepare(): Promise<void> {
      await rm(join(dataDir, 'uploads'), { recursive: true, force: true });
      await Promise.all([
        mkdir(join(dataDir, 'uploads'), { recursive: true }),
        mkdir(join(dataDir, 'blobs', 'sha256'), { recursive: true }),
      ]);
    },
    async blobSize(digest: string): Promise<number | undefined> {
      return (await stat(blobPath(digest)).catch(absent))?.size;
    },
    /** Moves a verified file into place as the blob of `digest` (a blob already there is kept). */
    async commitBlob(file: string, digest: string): Promise<void> {
      await rename(file, blobPath(digest));
    },
    async putManifest(name: string, manifest: { digest: string; mediaType: string; bytes: Uint8Array }, tag?: string): Promise<void> {
      if ((await stat(blobPath(manifest.digest)).catch(absent)) === undefined)
        await writeAtomically(blobPath(manifest.digest), manifest.bytes);
      await writeAtomically(revisionPath(name, manifest.digest), manifest.mediaType);
      if (tag === undefined) return;
      const previous = tagWrites.get(name) ?? Promise.resolve();
      const update = previous
        .catch(() => undefined)
        .then(async () => {
          const tags = (await readTags(name)) ?? {};
          tags[tag] = manifest.digest;
          await writeAtomically(tagsPath(name), JSON.stringify(tags));
        });
      tagWrites.set(name, update);
      await update;
    },
    /** The manifest a tag or digest names in a repository; `repository: false` when the repository has none at all. */
    async findManifest(name: string, reference: string): Promise<StoredManifest | { repository: boolean }> {
      const digest = reference.startsWith('sha256:') ? reference : (await readTags(name))?.[reference];
      const mediaType = digest === undefined ? undefined : await readFile(revisionPath(name, digest), 'utf8').catch(absent);
      const size = digest === undefined || mediaType === undefined ? undefined : (await stat(blobPath(digest)).catch(absent))?.size;
      if (digest !== undefined && mediaType !== undefined && size !== undefined) return { digest, mediaType, size, path: blobPath(digest) };
      return { repository: (await stat(repositoryDir(name)).catch(absent)) !== undefined };
    },
    /** The repository's tags, sorted; undefined when it does not exist. */
    async listTags(name: string): Promise<string[] | undefined> {
      const tags = await readTags(name);
      if (tags !== undefined) return Object.keys(tags).sort();
      return (await stat(repositoryDir(name)).catch(absent)) === undefined ? undefined : [];
    },
  };
}

/** Writes a file whole or not at all: a temporary file beside it, synced, then renamed. */
async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, data, { flag: 'wx' });
    const handle = await open(temporary, 'r+');
    await handle.sync().finally(() => handle.close());
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function absent(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
  throw error;
}
