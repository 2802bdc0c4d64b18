import { encodeLeaf } from './borsh.js';
import { type DataObject, walk } from './schema.js';
import { writeZip, type ZipEntry } from './zip.js';

/**
 * The protected data archive of an object: one STORED entry per leaf at `a/b/c` (borsh-encoded),
 * a folder entry per nested object, in key order — what DataProtector's createZipFromObject builds.
 *
 * @example
 * const zip = createZipFromObject({ email: 'alice@example.com' });
 */
export function createZipFromObject(data: DataObject): Uint8Array {
  const entries: ZipEntry[] = [];
  for (const item of walk(data)) {
    const path = item.path.join('/');
    entries.push(item.folder ? { path: `${path}/`, data: new Uint8Array(0), folder: true } : { path, data: encodeLeaf(item.leaf) });
  }
  return writeZip(entries);
}
