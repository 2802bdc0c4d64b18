import type { UnixFSComponents } from '@helia/unixfs';
import type { FsBlockstore } from 'blockstore-fs';

type Blockstore = UnixFSComponents['blockstore'];

/**
 * The blockstore as the importer should see it: a block already stored, or being stored, is not
 * written again. blockstore-fs writes a block through a temporary file named after it, so two
 * writes of the same block at once (repeated chunks: zeros, padding) collide and one of them waits
 * out a second of retries before giving up; writing each block once also spares the disk.
 *
 * @example
 * const fs = unixfs({ blockstore: writeOnce(new FsBlockstore(dir)) });
 */
export function writeOnce(store: FsBlockstore): Blockstore {
  const writing = new Map<string, Promise<void>>();
  return {
    get: (cid, options) => store.get(cid, options),
    has: (cid, options) => store.has(cid, options),
    async put(cid, bytes, options) {
      // blockstore-fs, like kubo, files blocks by multihash: the CID version and codec do not matter.
      const key = Buffer.from(cid.multihash.bytes).toString('base64');
      let write = writing.get(key);
      if (!write) {
        write = (async () => {
          if (!(await store.has(cid, options))) await store.put(cid, bytes, options);
        })().finally(() => writing.delete(key));
        writing.set(key, write);
      }
      await write;
      return cid;
    },
  };
}
