import { pack } from 'tar-stream';

/** One entry of a layer being built: a directory, or a file with its bytes. */
export type TarEntry = { path: string; type: 'directory' } | { path: string; type: 'file'; data: Uint8Array; executable: boolean };

/**
 * An uncompressed tar of the entries, the same bytes on every machine: entries in the order given,
 * mtime 0, uid/gid 0, empty user and group names, modes 0644 (0755 for directories and executables),
 * names too long for ustar in PAX headers.
 *
 * @example
 * const bytes = await deterministicTar([{ path: 'app', type: 'directory' }, { path: 'app/x', type: 'file', data, executable: false }]);
 */
export async function deterministicTar(entries: readonly TarEntry[]): Promise<Uint8Array> {
  const archive = pack();
  const chunks: Uint8Array[] = [];
  const collected = (async () => {
    for await (const chunk of archive) chunks.push(chunk as Uint8Array);
  })();
  for (const entry of entries) {
    const common = { mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' };
    if (entry.type === 'directory') archive.entry({ ...common, name: `${entry.path}/`, type: 'directory', mode: 0o755 });
    else archive.entry({ ...common, name: entry.path, type: 'file', mode: entry.executable ? 0o755 : 0o644 }, entry.data);
  }
  archive.finalize();
  await collected;
  return new Uint8Array(Buffer.concat(chunks));
}
