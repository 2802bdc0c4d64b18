import { lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BaseError } from '@confidant/errors';
import { type BuiltImage, buildAppImage, checksumOfDigest, type ImageFile, storeBuiltImage } from '@confidant/oci';
import type { Hex } from 'viem';
import type { AppDeclaration } from '../runner/sandbox.js';

/** An image in a store of its own, as a worker has it after pulling it by its registered digest. */
export type StoredAppImage = { storeDir: string; digest: string; measurement: Hex; image: BuiltImage };

/** A folder's files by relative POSIX path, exec bits kept (links and other kinds are refused). */
function readFolderFiles(dir: string): Record<string, ImageFile> {
  const files: Record<string, ImageFile> = {};
  const walk = (folder: string, prefix: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      const stats = lstatSync(path);
      if (stats.isDirectory()) walk(path, `${prefix}${name}/`);
      else if (stats.isFile()) files[`${prefix}${name}`] = { data: readFileSync(path), executable: (stats.mode & 0o111) !== 0 };
      else throw new BaseError(`${path} is neither a file nor a folder`, { hints: ['Give the test app regular files only.'] });
    }
  };
  walk(dir, '');
  return files;
}

/** Stores a built image in a fresh store under `root` (one store per image, so tampering with one touches no other). */
export async function storeImage(root: string, image: BuiltImage): Promise<StoredAppImage> {
  const storeDir = mkdtempSync(join(root, 'store-'));
  await storeBuiltImage(image, storeDir);
  return { storeDir, digest: image.manifestDigest, measurement: checksumOfDigest(image.manifestDigest), image };
}

/**
 * Builds an app image (its files under /app, started with its runtime on the entrypoint) from a
 * files map or a folder, and stores it in a fresh store under `root`.
 */
export async function storeAppImage(
  root: string,
  app: Record<string, ImageFile> | string,
  declaration: AppDeclaration,
): Promise<StoredAppImage> {
  const files = typeof app === 'string' ? readFolderFiles(app) : app;
  return storeImage(root, await buildAppImage({ files, ...declaration }));
}

/** Where a stored blob is: `<storeDir>/blobs/sha256/<hex>`. */
export function storedBlob(storeDir: string, digest: string): string {
  return join(storeDir, 'blobs', 'sha256', digest.replace(/^sha256:/, ''));
}
