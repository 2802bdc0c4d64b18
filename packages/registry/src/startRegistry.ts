import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LineLogger, type Listening, listen, processLogger } from '@confidant/server';
import { RegistryStartError } from './errors.js';
import { createRegistryHandler } from './handler.js';
import { createRegistryStore } from './registryStore.js';
import { createUploads } from './uploads.js';

export type StartRegistryParameters = {
  /** Where blobs, manifests and tags are kept across restarts; omit for a throw-away directory, removed on stop. */
  dataDir?: string | undefined;
  /** 0 (default) picks a free port. */
  port?: number | undefined;
  /** 127.0.0.1 (default): loopback only. The registry has no authentication: keep it there. */
  host?: string | undefined;
  /** The largest blob taken (default 2 GiB); a bigger upload is cut off while it streams (413). */
  maxBlobBytes?: number | undefined;
  /** The largest manifest taken (default 4 MiB, the spec's minimum). */
  maxManifestBytes?: number | undefined;
  /** Where failures are logged (default: stderr); requests that succeed are not. */
  logger?: LineLogger | undefined;
};

export type DevnetRegistry = {
  /** Base URL, e.g. http://127.0.0.1:5000 (give it to pushImage as registryUrl). */
  url: string;
  /** Host and port as an image reference starts with, e.g. 127.0.0.1:5000 (`${registry}/confidant/hello:1.0.0`). */
  registry: string;
  /** Stops serving (cutting requests in progress); uploads in progress are forgotten, blobs and tags stay. */
  stop(): Promise<void>;
};

/**
 * Starts a container registry that speaks the OCI Distribution API (what `docker push`/`pull`,
 * pushImage and pullImage use), keeping blobs, manifests and tags on disk. Uploads stream to disk
 * and are hashed as they arrive; a blob whose digest does not match, or a manifest naming a blob it
 * does not have, is refused. No authentication: it listens on loopback by default.
 *
 * @example
 * const registry = await startRegistry({ dataDir: '.data/registry', port: 5000 });
 * await pushImage({ registryUrl: registry.url, repository: 'confidant/hello', tag: '1.0.0', image });
 * await registry.stop();
 */
export async function startRegistry(parameters: StartRegistryParameters = {}): Promise<DevnetRegistry> {
  const directory = parameters.dataDir ?? (await mkdtemp(join(tmpdir(), 'confidant-registry-')));
  const removeDirectory = async () => {
    if (parameters.dataDir === undefined) await rm(directory, { recursive: true, force: true });
  };
  const store = createRegistryStore(directory);
  try {
    await mkdir(directory, { recursive: true });
    await store.prepare();
  } catch (error) {
    await removeDirectory();
    throw new RegistryStartError(`cannot use ${directory} as its data directory`, error);
  }
  const registry = {
    store,
    uploads: createUploads(store, parameters.maxBlobBytes ?? 2 * 1024 * 1024 * 1024),
    maxManifestBytes: parameters.maxManifestBytes ?? 4 * 1024 * 1024,
  };
  const logger = parameters.logger ?? processLogger;
  let served: Listening;
  try {
    served = await listen(createRegistryHandler(registry, logger), { host: parameters.host ?? '127.0.0.1', port: parameters.port, logger });
  } catch (error) {
    await removeDirectory();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    url: served.url,
    registry: new URL(served.url).host,
    stop: () =>
      (stopped ??= (async () => {
        await served.close();
        await served.settled();
        await removeDirectory();
      })()),
  };
}
