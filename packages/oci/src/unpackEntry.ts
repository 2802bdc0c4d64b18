import { lstat, link, mkdir, open, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Header } from 'tar-stream';
import { ImageTooLargeError, UnsafeImageEntryError } from './errors.js';

/** What unpacking the layers of one image keeps track of. */
export type UnpackState = {
  /** The real path of the directory unpacked into. */
  root: string;
  maxBytes: number;
  maxEntries: number;
  bytes: number;
  entries: number;
  /** Devices and FIFOs, which are not created (see unpackImage). */
  skipped: string[];
  /** Directories checked to be real directories (not symlinks) since the last removal. */
  directories: Set<string>;
  /** Directory modes, applied once every layer is unpacked (a read-only directory could not be filled). */
  directoryModes: Map<string, number>;
  /** Paths written by the layer being unpacked, which its opaque whiteouts keep. */
  written: Set<string>;
};

/**
 * Applies one tar entry of a layer under the state's root: files, directories, symlinks, hard
 * links and whiteouts. Refused: absolute or `..` paths, a path through a symlink, a hard link to
 * anything but a regular file of the image, and unknown entry types; devices and FIFOs are skipped.
 *
 * @example
 * for await (const entry of extractor) await applyEntry(state, entry.header, entry);
 */
export async function applyEntry(state: UnpackState, header: Header, content: AsyncIterable<Uint8Array>): Promise<void> {
  const segments = entrySegments(header.name, header.name);
  if (segments.length === 0) return;
  if (++state.entries > state.maxEntries)
    throw new ImageTooLargeError(`the unpacked image (more than ${state.maxEntries} entries)`, state.maxEntries);
  const name = segments.at(-1) as string;
  if (name.startsWith('.wh.')) return applyWhiteout(state, header.name, segments);
  const path = join(state.root, ...segments);
  switch (header.type) {
    case 'directory':
      await ensureParents(state, header.name, segments, true);
      await clearFor(state, path, 'directory');
      if (!state.directories.has(path)) await mkdir(path, { mode: 0o755 });
      state.directories.add(path);
      state.directoryModes.set(path, header.mode & 0o1777);
      break;
    case 'file':
    case 'contiguous-file':
      await ensureParents(state, header.name, segments, true);
      await clearFor(state, path, 'file');
      await writeFile(state, path, header.mode & 0o777, content);
      break;
    case 'symlink':
      if (!header.linkname || header.linkname.includes('\0')) throw new UnsafeImageEntryError(header.name, 'is a symbolic link to nothing');
      await ensureParents(state, header.name, segments, true);
      await clearFor(state, path, 'file');
      await symlink(header.linkname, path);
      break;
    case 'link':
      await hardLink(state, header, segments, path);
      break;
    case 'character-device':
    case 'block-device':
    case 'fifo':
      state.skipped.push(segments.join('/'));
      return;
    default:
      throw new UnsafeImageEntryError(header.name, `is of a type that is not unpacked (${String(header.type)})`);
  }
  state.written.add(segments.join('/'));
}

/** The path's segments under the root ('./' prefixes and empty segments dropped); absolute and `..` paths refused. */
function entrySegments(path: string, entry: string): string[] {
  if (path.includes('\0')) throw new UnsafeImageEntryError(entry, 'has a NUL character in its path');
  if (path.startsWith('/')) throw new UnsafeImageEntryError(entry, 'has an absolute path');
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw new UnsafeImageEntryError(entry, 'has a ".." segment in its path');
  return segments;
}

/**
 * Walks the entry's parent directories, refusing to pass through a symlink (wherever it points: a
 * layer writes real paths) and, when `create`, making those missing or replacing a file that is in
 * the way. Answers false when `create` is off and one is missing.
 */
async function ensureParents(state: UnpackState, entry: string, segments: readonly string[], create: boolean): Promise<boolean> {
  for (let depth = 1; depth < segments.length; depth++) {
    const path = join(state.root, ...segments.slice(0, depth));
    if (state.directories.has(path)) continue;
    const found = await lstat(path).catch(missing);
    if (found?.isSymbolicLink())
      throw new UnsafeImageEntryError(
        entry,
        `goes through the symbolic link ${segments.slice(0, depth).join('/')}, which could lead outside the image`,
      );
    if (!found?.isDirectory()) {
      if (!create) return false;
      if (found) await remove(state, path);
      await mkdir(path, { mode: 0o755 });
      state.written.add(segments.slice(0, depth).join('/'));
    }
    state.directories.add(path);
  }
  return true;
}

/** Makes room for an entry: whatever is at its path goes, except a directory that stays one. */
async function clearFor(state: UnpackState, path: string, kind: 'directory' | 'file'): Promise<void> {
  const found = await lstat(path).catch(missing);
  if (!found) return;
  if (kind === 'directory' && found.isDirectory()) {
    state.directories.add(path);
    return;
  }
  await remove(state, path);
}

async function writeFile(state: UnpackState, path: string, mode: number, content: AsyncIterable<Uint8Array>): Promise<void> {
  // 'wx' creates the file, never opening what is there (cleared above, and never a symlink's target).
  const handle = await open(path, 'wx', 0o600);
  try {
    for await (const chunk of content) {
      state.bytes += chunk.length;
      if (state.bytes > state.maxBytes) throw new ImageTooLargeError('the unpacked image', state.maxBytes);
      await handle.write(chunk);
    }
    await handle.chmod(mode);
  } finally {
    await handle.close();
  }
}

async function hardLink(state: UnpackState, header: Header, segments: readonly string[], path: string): Promise<void> {
  const targetSegments = entrySegments(header.linkname ?? '', header.name);
  const target = join(state.root, ...targetSegments);
  const reachable = targetSegments.length > 0 && (await ensureParents(state, header.name, targetSegments, false));
  const found = reachable ? await lstat(target).catch(missing) : undefined;
  if (!found?.isFile()) throw new UnsafeImageEntryError(header.name, 'is a hard link to something that is not a file of the image');
  await ensureParents(state, header.name, segments, true);
  if (target === path) return;
  await clearFor(state, path, 'file');
  await link(target, path);
}

/** `.wh.<name>` deletes <name> of a lower layer; `.wh..wh..opq` empties its directory of what lower layers put there. */
async function applyWhiteout(state: UnpackState, entry: string, segments: readonly string[]): Promise<void> {
  const parent = segments.slice(0, -1);
  const name = (segments.at(-1) as string).slice('.wh.'.length);
  if (name === '.wh..opq') {
    if (!(await ensureParents(state, entry, segments, true))) return;
    const directory = join(state.root, ...parent);
    for (const child of await readdir(directory)) {
      if (!state.written.has([...parent, child].join('/'))) await remove(state, join(directory, child));
    }
    return;
  }
  // Other `.wh..wh.` names are AUFS bookkeeping, never files of the image.
  if (name.startsWith('.wh.')) return;
  if (name === '' || name === '.' || name === '..') throw new UnsafeImageEntryError(entry, 'is a whiteout of no valid name');
  if (!(await ensureParents(state, entry, segments, false))) return;
  await remove(state, join(state.root, ...parent, name));
}

/** Removes a path (a symlink itself, never its target) and forgets what was known under it. */
async function remove(state: UnpackState, path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
  for (const known of [state.directories, state.directoryModes]) {
    for (const key of known.keys()) if (key === path || key.startsWith(`${path}/`)) known.delete(key);
  }
}

function missing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
  throw error;
}
