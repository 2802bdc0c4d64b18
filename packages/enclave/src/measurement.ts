import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import { type AppDeclaration, type BundleEntry, measurementOf } from '@confidant/contracts/bundle';
import type { Hex } from 'viem';
import { BundleError } from './errors.js';

// The manifest format is shared with the SDK, which measures the bundles it uploads.
export { type AppDeclaration, type BundleEntry, bundleManifest } from '@confidant/contracts/bundle';

/**
 * Lists a bundle's regular files and symbolic links (relative POSIX paths, sorted by their UTF-8
 * bytes) with their kind and content hash. Folders are implied by paths (an empty folder is not
 * measured). A symbolic link is measured by its target (relative to the link), and refused when it
 * points outside the bundle; sockets, FIFOs and devices are refused.
 *
 * @example
 * const entries = await listBundle('./my-app');
 */
export async function listBundle(bundleDir: string): Promise<BundleEntry[]> {
  const root = await realpath(bundleDir).catch((cause: unknown) => {
    throw new BundleError(`the bundle folder ${bundleDir} cannot be read`, 'Give the path of the folder that holds the app.', cause);
  });
  const entries: BundleEntry[] = [];
  async function walk(dir: string): Promise<void> {
    for (const name of await readdir(dir)) {
      const full = join(dir, name);
      const path = relative(root, full).split(sep).join('/');
      if (/[\0\n\r]/.test(path))
        throw new BundleError(`the bundle has a file name with a control character (${JSON.stringify(path)})`, 'Rename the file.');
      const stats = await lstat(full);
      if (stats.isDirectory()) await walk(full);
      else if (stats.isFile()) entries.push({ path, mode: (stats.mode & 0o111) !== 0 ? 'exec' : 'file', sha256: await sha256File(full) });
      else if (stats.isSymbolicLink()) {
        const target = await readlink(full);
        const resolved = isAbsolute(target) ? target : join(dir, target);
        const inside = relative(root, resolved);
        if (inside === '' || inside.startsWith('..') || isAbsolute(inside))
          throw new BundleError(
            `the symbolic link ${path} points outside the bundle (to ${target})`,
            'Copy the file it points to into the bundle, or make the link relative inside it.',
          );
        const relativeTarget = posix.relative(posix.dirname(path), inside.split(sep).join('/'));
        entries.push({ path, mode: 'link', sha256: createHash('sha256').update(relativeTarget).digest('hex') });
      } else
        throw new BundleError(
          `the bundle holds ${path}, which is neither a file, a folder nor a link`,
          'Remove sockets, FIFOs and devices from the bundle.',
        );
    }
  }
  await walk(root);
  return entries.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Checks the declaration against the bundle: a known runtime, an entrypoint that is a file of it. */
function checkDeclaration(entries: readonly BundleEntry[], declaration: AppDeclaration): void {
  if (declaration.runtime !== 'node' && declaration.runtime !== 'python')
    throw new BundleError(`the runtime "${String(declaration.runtime)}" is not supported`, 'Declare `node` or `python`.');
  const entrypoint = posix.normalize(declaration.entrypoint);
  if (entrypoint !== declaration.entrypoint || entrypoint.startsWith('../') || posix.isAbsolute(entrypoint))
    throw new BundleError(
      `the entrypoint "${declaration.entrypoint}" is not a normalised path inside the bundle`,
      'Declare the entrypoint relative to the bundle, like `src/app.js`.',
    );
  if (!entries.some((entry) => entry.path === entrypoint && entry.mode !== 'link'))
    throw new BundleError(
      `the entrypoint "${declaration.entrypoint}" is not a file of the bundle`,
      'Check the entrypoint path, relative to the bundle folder.',
    );
}

/**
 * The measurement of an app bundle: `0x` + sha256 of its canonical manifest (see `bundleManifest`).
 * It is the app's on-chain checksum, and what the enclave's quote claims it runs.
 *
 * @example
 * const measurement = await measureBundle('./my-app', { runtime: 'node', entrypoint: 'src/app.js' });
 */
export async function measureBundle(bundleDir: string, declaration: AppDeclaration): Promise<Hex> {
  const entries = await listBundle(bundleDir);
  checkDeclaration(entries, declaration);
  return measurementOf(entries, declaration);
}
