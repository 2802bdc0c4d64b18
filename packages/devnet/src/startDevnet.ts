import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Api, startApi } from '@confidant/api';
import { type LocalChain, startLocalChain } from '@confidant/local-chain';
import { type Sms, startSms } from '@confidant/sms';
import { startWorker, type Worker } from '@confidant/worker';
import type { Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { type DevnetStorage, startStorage } from '@confidant/storage';
import { type DevnetRegistry, startRegistry } from '@confidant/registry';

export type StartDevnetParameters = {
  /** Where everything keeps its data across restarts; omit for a throw-away network. */
  dataDir?: string | undefined;
  /**
   * The chain id: 31337 (default) or 421614, under which iExec's DataProtector client accepts the
   * local network (see docs/decisions.md). A data directory keeps the one it was made with.
   */
  chainId?: number | undefined;
  /** The chain's JSON-RPC port; 0 (default) picks a free one. */
  chainPort?: number | undefined;
  /** The API's port; 0 (default) picks a free one. */
  apiPort?: number | undefined;
  /** The IPFS storage's port (kubo RPC and gateway); 0 (default) picks a free one. */
  storagePort?: number | undefined;
  /** The SMS's port; 0 (default) picks a free one. */
  smsPort?: number | undefined;
  /** The worker's port (task logs, health); 0 (default) picks a free one. */
  workerPort?: number | undefined;
  /**
   * The container registry's port; 0 (default) picks a free one. Apps are registered with an image
   * reference naming it, so a network kept in a data directory needs the same port each time.
   */
  registryPort?: number | undefined;
  /** Tasks the worker runs at once (default 2). */
  workerConcurrency?: number | undefined;
  /** PostgreSQL for the API and the SMS instead of the embedded PGlite. */
  databaseUrl?: string | undefined;
  /** Called when the indexer hits an error it recovers from. */
  onIndexerError?: ((error: unknown) => void) | undefined;
};

export type Devnet = {
  chain: LocalChain;
  api: Api;
  /** The local IPFS storage: kubo's `POST ${apiUrl}/api/v0/add` and the gateway `GET ${gatewayUrl}/ipfs/<cid>`. */
  storage: Pick<DevnetStorage, 'apiUrl' | 'gatewayUrl'>;
  /** The container registry iApp images are pushed to (OCI Distribution API at `${url}/v2/`; `registry` is its host:port). */
  registry: Pick<DevnetRegistry, 'url' | 'registry'>;
  /** The Secret Management Service (`readSecret` is for tests and the local enclave runtime). */
  sms: Pick<Sms, 'url' | 'readSecret'>;
  /** The workerpool node running the TEE workerpool's tasks in simulated enclaves. */
  worker: Pick<Worker, 'url' | 'workerpool' | 'worker' | 'wake'>;
  /** The simulated TEE platform's root: the SMS trusts quotes it signs (no production SMS does). */
  platformRoot: `0x${string}`;
  /** Stops every service this call started, then the chain. */
  stop(): Promise<void>;
};

/**
 * Starts the whole local network: the chain with PoCo deployed, the IPFS storage and the container
 * registry, then the marketplace API (and its indexer against the chain) with the SMS, then the worker.
 *
 * @example
 * const devnet = await startDevnet({ dataDir: '.data' });
 * console.log(devnet.chain.rpcUrl, devnet.api.url, devnet.storage.gatewayUrl);
 * await devnet.stop();
 */
export async function startDevnet(parameters: StartDevnetParameters = {}): Promise<Devnet> {
  // What does not depend on each other starts at once: the chain with the storage, then the API with
  // the SMS (each opens its own database, which dominates start-up), then the worker, which needs both.
  // If any part fails, every part already started (or starting) is stopped before the error is thrown.
  const startup = createStartup();
  try {
    const [[chain, storage], registry] = await Promise.all([
      startChainAndStorage(parameters, startup),
      startup.track(
        startRegistry({ dataDir: parameters.dataDir ? join(parameters.dataDir, 'registry') : undefined, port: parameters.registryPort }),
      ),
    ]);
    const dirs = serviceDirs(parameters.dataDir);
    // A newly deployed chain makes any index, secret or task of a previous one meaningless.
    if (chain.deployed && parameters.dataDir)
      for (const dir of [dirs.apiDb, dirs.smsDb, dirs.worker]) rmSync(dir as string, { recursive: true, force: true });
    const keys = devnetKeys(parameters.dataDir);
    const [api, sms] = await startApiAndSms(parameters, startup, { chain, storage, keys, dirs });
    const worker = await startDevnetWorker(parameters, startup, { chain, storage, api, sms, keys, dirs });
    return {
      chain,
      api,
      storage: { apiUrl: storage.apiUrl, gatewayUrl: storage.gatewayUrl },
      registry: { url: registry.url, registry: registry.registry },
      sms: { url: sms.url, readSecret: sms.readSecret },
      worker: { url: worker.url, workerpool: worker.workerpool, worker: worker.worker, wake: worker.wake },
      platformRoot: keys.platformRoot,
      async stop() {
        await worker.stop();
        await api.stop();
        await sms.stop();
        await storage.stop();
        await registry.stop();
        await chain.stop();
      },
    };
  } catch (error) {
    await startup.stopAll();
    throw error;
  }
}

type Stoppable = { stop(): Promise<void> };

/** The services started so far, to stop them all when a later one fails. */
type Startup = {
  /** Remembers a service once it has started, and passes it on. */
  track<T extends Stoppable>(starting: Promise<T>): Promise<T>;
  /** Stops in the reverse order of starting: the worker first, the chain last. */
  stopAll(): Promise<void>;
};

/** A fresh start-up: nothing started yet. */
function createStartup(): Startup {
  const started: Stoppable[] = [];
  return {
    async track(starting) {
      const service = await starting;
      started.push(service);
      return service;
    },
    async stopAll() {
      for (const service of started.reverse()) await service.stop();
      started.length = 0;
    },
  };
}

/** Both, once both settled (so that a failure stops the other too, not only what was ready first). */
async function both<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === 'rejected') throw first.reason;
  if (second.status === 'rejected') throw second.reason;
  return [first.value, second.value];
}

/** Where each service keeps its data (all undefined for a throw-away network). */
type ServiceDirs = { apiDb: string | undefined; smsDb: string | undefined; worker: string | undefined };

function serviceDirs(dataDir: string | undefined): ServiceDirs {
  return {
    apiDb: dataDir ? join(dataDir, 'api-db') : undefined,
    smsDb: dataDir ? join(dataDir, 'sms-db') : undefined,
    worker: dataDir ? join(dataDir, 'worker') : undefined,
  };
}

/** The simulated TEE platform's root and the SMS's master key: kept in the data directory, or fresh. */
type DevnetKeys = { platformRootKey: Hex; platformRoot: `0x${string}`; masterKey: Buffer };

function devnetKeys(dataDir: string | undefined): DevnetKeys {
  const platformRootKey = (dataDir ? localKey(dataDir, 'platform-root.key', generatePrivateKeyHex) : generatePrivateKeyHex()) as Hex;
  const platformRoot = privateKeyToAddress(platformRootKey);
  const masterKey = dataDir
    ? Buffer.from(
        localKey(dataDir, 'sms-master.key', () => randomBytes(32).toString('base64')),
        'base64',
      )
    : randomBytes(32);
  return { platformRootKey, platformRoot, masterKey };
}

/** The chain (with PoCo deployed) and the IPFS storage, started at once. */
function startChainAndStorage(parameters: StartDevnetParameters, { track }: Startup): Promise<[LocalChain, DevnetStorage]> {
  return both(
    track(
      startLocalChain({
        chainId: parameters.chainId,
        port: parameters.chainPort,
        dataDir: parameters.dataDir ? join(parameters.dataDir, 'chain') : undefined,
      }),
    ),
    track(startStorage({ dataDir: parameters.dataDir ? join(parameters.dataDir, 'ipfs') : undefined, port: parameters.storagePort })),
  );
}

/** The marketplace API (with its indexer) and the SMS, started at once against the chain. */
function startApiAndSms(
  parameters: StartDevnetParameters,
  { track }: Startup,
  { chain, storage, keys, dirs }: { chain: LocalChain; storage: DevnetStorage; keys: DevnetKeys; dirs: ServiceDirs },
): Promise<[Api, Sms]> {
  let apiUrl: string | undefined;
  return both(
    track(
      startApi({
        network: 'local',
        chainId: chain.chainId,
        rpcUrl: chain.rpcUrl,
        addresses: chain.addresses,
        databaseUrl: parameters.databaseUrl,
        dataDir: dirs.apiDb,
        port: parameters.apiPort,
        indexerStartBlock: chain.startBlock,
        dataProtector: chain.dataProtector,
        // The PoCo subgraph reads bulk requests (`bulk_cid`) from the local storage.
        ipfsGatewayUrl: storage.gatewayUrl,
        onIndexerError: parameters.onIndexerError,
      }),
    ).then((ready: Api) => {
      apiUrl = ready.url;
      return ready;
    }),
    track(
      startSms({
        network: 'local',
        chainId: chain.chainId,
        rpcUrl: chain.rpcUrl,
        addresses: chain.addresses,
        masterKey: keys.masterKey,
        databaseUrl: parameters.databaseUrl,
        dataDir: dirs.smsDb,
        port: parameters.smsPort,
        verifier: { trustedSimulationRoots: [keys.platformRoot] },
        // The API's port is not known until it listens (0 picks one): the SMS asks when it checks a grant.
        apiUrl: () => apiUrl,
      }),
    ),
  );
}

/** The workerpool node, once the API, the SMS and the storage are up. */
function startDevnetWorker(
  parameters: StartDevnetParameters,
  { track }: Startup,
  {
    chain,
    storage,
    api,
    sms,
    keys,
    dirs,
  }: { chain: LocalChain; storage: DevnetStorage; api: Api; sms: Sms; keys: DevnetKeys; dirs: ServiceDirs },
): Promise<Worker> {
  return track(
    startWorker({
      network: 'local',
      chainId: chain.chainId,
      rpcUrl: chain.rpcUrl,
      addresses: chain.addresses,
      workerpool: chain.workerpool.address,
      workerpoolOwnerKey: chain.accounts.scheduler.privateKey,
      workerKey: chain.accounts.worker.privateKey,
      apiUrl: api.url,
      smsUrl: sms.url,
      storage: { apiUrl: storage.apiUrl, gatewayUrl: storage.gatewayUrl },
      dataDir: dirs.worker,
      databaseUrl: parameters.databaseUrl,
      port: parameters.workerPort,
      concurrency: parameters.workerConcurrency ?? 2,
      platformRootKey: keys.platformRootKey,
      fromBlock: chain.startBlock,
    }),
  );
}

/**
 * A key of the local network (the SMS's master key, the simulated platform's root), made once and
 * kept in the data directory, readable by this user only: a local network has no secret store.
 */
function localKey(dataDir: string, name: string, make: () => string): string {
  const file = join(dataDir, name);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, make(), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

const generatePrivateKeyHex = (): Hex => `0x${randomBytes(32).toString('hex')}`;
