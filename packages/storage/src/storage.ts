import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unixfs } from '@helia/unixfs';
import { type Listening, listen } from '@confidant/server';
import { FsBlockstore } from 'blockstore-fs';
import { writeOnce } from './blockstore.js';
import { StorageStartError } from './errors.js';
import { createStorageHandler } from './server.js';

export type StartStorageParameters = {
  /** Where the blocks are kept across restarts; omit for a throw-away store, removed on stop. */
  dataDir?: string | undefined;
  /** 127.0.0.1 (default): loopback only. */
  host?: string | undefined;
  /** 0 (default) picks a free port; kubo's is 5001. */
  port?: number | undefined;
};

export type DevnetStorage = {
  /** Base of the kubo RPC: clients POST `${apiUrl}/api/v0/add`. */
  apiUrl: string;
  /** Base of the gateway: clients GET `${gatewayUrl}/ipfs/<cid>`. */
  gatewayUrl: string;
  /** Stops serving (cutting requests in progress) and closes the blockstore. */
  stop(): Promise<void>;
};

/**
 * Starts the devnet's IPFS storage: a Helia UnixFS over a blockstore on disk, served on loopback
 * with kubo's `POST /api/v0/add` (same CIDs as kubo's defaults) and a gateway, `GET /ipfs/<cid>`.
 * Files stream in and out without being held in memory. It never touches a network: what was not
 * added here is not found.
 *
 * @example
 * const storage = await startStorage({ dataDir: '.data/ipfs', port: 5001 });
 * const form = new FormData();
 * form.append('file', new Blob(['hello world\n']));
 * const added = await (await fetch(`${storage.apiUrl}/api/v0/add`, { method: 'POST', body: form })).json();
 * // added.Hash === 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o'
 * await fetch(`${storage.gatewayUrl}/ipfs/${added.Hash}`);
 * await storage.stop();
 */
export async function startStorage(parameters: StartStorageParameters = {}): Promise<DevnetStorage> {
  // blockstore-core's MemoryBlockstore is not a dependency of this package; a temporary directory
  // also keeps a throw-away store's big files out of memory.
  const directory = parameters.dataDir ?? (await mkdtemp(join(tmpdir(), 'confidant-ipfs-')));
  const removeDirectory = async () => {
    if (parameters.dataDir === undefined) await rm(directory, { recursive: true, force: true });
  };
  const blockstore = new FsBlockstore(join(directory, 'blocks'));
  try {
    await blockstore.open();
  } catch (error) {
    await removeDirectory();
    throw new StorageStartError(`cannot open the blockstore in ${directory}`, error);
  }
  const host = parameters.host ?? '127.0.0.1';
  let served: Listening;
  try {
    served = await listen(createStorageHandler(unixfs({ blockstore: writeOnce(blockstore) })), { host, port: parameters.port });
  } catch (error) {
    await blockstore.close();
    await removeDirectory();
    const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new StorageStartError(`cannot listen on ${host}:${parameters.port ?? 0} (${reason})`, error);
  }
  let stopped: Promise<void> | undefined;
  return {
    apiUrl: served.url,
    gatewayUrl: served.url,
    stop: () =>
      (stopped ??= (async () => {
        await served.close();
        // Requests cut short still unwind (an import's last block writes) before the store closes.
        await served.settled();
        await blockstore.close();
        await removeDirectory();
      })()),
  };
}
