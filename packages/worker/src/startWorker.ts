import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPocoClient,
  type NetworkName,
  type PocoAddresses,
  type PocoClient,
  type PocoWalletClient,
  requireWallet,
} from '@confidant/contracts';
import { createSimulatedPlatform, type EnclavePlatform } from '@confidant/enclave';
import { createLineLogger } from '@confidant/server';
import { type Address, type Hex, http, type LocalAccount } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { type AppImageResolver, createAppImageResolver } from './appImage.js';
import { createDealWatcher } from './dealWatcher.js';
import { createWorkerDb, type WorkerDbClient } from './db.js';
import { type Dispatcher, startDispatcher } from './dispatcher.js';
import { createEnclaveExecutor } from './enclaveExecutor.js';
import { InvalidWorkerConfigError } from './errors.js';
import type { TaskExecutor } from './executor.js';
import { processLogger, type WorkerLogger } from './logger.js';
import { createOrderbookKeeper, defaultOffer, type WorkerpoolOffer } from './orderbook.js';
import { startWorkerServer, type WorkerServer } from './server.js';
import { createSmsClient } from './smsClient.js';
import { createTaskStore, type TaskStore } from './store.js';
import { createTransactionQueue } from './transactions.js';

export type StartWorkerParameters = {
  network: NetworkName;
  /** For the local network: its node's chain id (31337 by default, or 421614). */
  chainId?: number | undefined;
  rpcUrl: string;
  /** Required for the local network. */
  addresses?: PocoAddresses | undefined;
  /** The workerpool this node serves. */
  workerpool: Address;
  /** The workerpool owner's (scheduler's) key: signs its orders and the worker authorizations. */
  workerpoolOwnerKey: Hex;
  /** The worker's own key: sends initialize and contributeAndFinalize, and is paid. */
  workerKey: Hex;
  /** The marketplace API (tRPC URL, e.g. http://127.0.0.1:4000/trpc); without it no order is published. */
  apiUrl?: string | undefined;
  /** The SMS the enclave asks for secrets (required by the enclave executor). */
  smsUrl?: string | undefined;
  /** IPFS: the kubo RPC API results are uploaded to, the gateway protected data and input files are read from. */
  storage?: { apiUrl: string; gatewayUrl: string } | undefined;
  /** Where PGlite, the app image store (`images/`) and task folders live; PGlite in memory and a temporary folder when absent. */
  dataDir?: string | undefined;
  /** PostgreSQL instead of PGlite. */
  databaseUrl?: string | undefined;
  host?: string | undefined;
  /** 0 (default) picks a free port. */
  port?: number | undefined;
  /** Tasks handled at once (default 4). */
  concurrency?: number | undefined;
  /** Runs the tasks; default the enclave runtime (needs smsUrl, storage and a platform root key). */
  executor?: TaskExecutor | undefined;
  /** The simulated platform's root key (local networks only: its quotes are trusted by a devnet SMS). */
  platformRootKey?: Hex | undefined;
  /** A TEE platform that signs quotes, instead of a simulated one. */
  platform?: EnclavePlatform | undefined;
  /** Pulls app images; default: by the app's checksum from the registry its multiaddr names, into `<dataDir>/images` (see createAppImageResolver). */
  resolveImage?: AppImageResolver | undefined;
  /** What each published workerpool order offers (default: free, 100 tasks, category 0, TDX). */
  offer?: Partial<WorkerpoolOffer> | undefined;
  /** Blocks a deal waits under the head before it is taken (default 0). */
  confirmations?: number | undefined;
  /** First block to read deals from on a fresh database (default: the head at the first start). */
  fromBlock?: bigint | undefined;
  /** Chain polling interval in ms (default 1000). */
  pollIntervalMs?: number | undefined;
  /** Orderbook check interval in ms (default 30,000). */
  orderbookIntervalMs?: number | undefined;
  /** Enclave runs a task may start, interrupted ones included (default 3). */
  maxAttempts?: number | undefined;
  /** Default: stdout and stderr. Every line is redacted (see @confidant/server's redact) before it reaches the logger. */
  logger?: WorkerLogger | undefined;
};

export type Worker = {
  /** The logs and health server's base URL. */
  url: string;
  workerpool: Address;
  /** The worker account's address (the one paid). */
  worker: Address;
  server: WorkerServer;
  database: WorkerDbClient;
  store: TaskStore;
  /** Follows the chain and runs due tasks now rather than at the next tick. */
  wake(): void;
  /**
   * Stops: the loop at once (enclave runs in flight are abandoned and stay RUNNING —
   * the next start re-runs them), the HTTP server, then the database. Calling it again waits for the same stop.
   */
  stop(): Promise<void>;
};

/**
 * Starts a workerpool node: opens (and migrates) its database, serves its health and task logs,
 * keeps the workerpool's orders in the orderbook, and runs the tasks of the workerpool's deals.
 *
 * @example
 * const worker = await startWorker({
 *   network: 'local', rpcUrl, addresses, workerpool, workerpoolOwnerKey, workerKey,
 *   apiUrl: 'http://127.0.0.1:4000/trpc', smsUrl: 'http://127.0.0.1:13300',
 *   storage: { apiUrl: 'http://127.0.0.1:5001', gatewayUrl: 'http://127.0.0.1:5001' },
 *   dataDir: '.data/worker', platformRootKey,
 * });
 * await worker.stop();
 */
export async function startWorker(parameters: StartWorkerParameters): Promise<Worker> {
  // Whatever the sink, a line is redacted before it reaches it.
  const logger = parameters.logger ? createLineLogger(parameters.logger) : processLogger;
  const concurrency = parameters.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new InvalidWorkerConfigError(`concurrency must be a positive integer, not ${concurrency}`, 'Pass concurrency ≥ 1.');
  const transport = http(parameters.rpcUrl, { batch: false, retryCount: 2, timeout: 30_000 });
  const common = {
    network: parameters.network,
    chainId: parameters.chainId,
    addresses: parameters.addresses,
    rpcUrl: parameters.rpcUrl,
    transport,
  };
  const owner = createPocoClient({ ...common, account: parameters.workerpoolOwnerKey });
  const worker = requireWallet(createPocoClient({ ...common, account: parameters.workerKey }), 'running tasks');
  const ownerAccount = privateKeyToAccount(parameters.workerpoolOwnerKey);
  const executor = parameters.executor ?? defaultExecutor(parameters, worker);

  const database = await createWorkerDb({
    url: parameters.databaseUrl,
    dataDir: parameters.dataDir === undefined || parameters.databaseUrl ? undefined : join(parameters.dataDir, 'db'),
  });
  try {
    const store = createTaskStore(database.db);
    const abort = new AbortController();
    const server = await startWorkerServer({
      store,
      client: worker,
      workerpool: parameters.workerpool,
      worker: worker.walletClient.account.address,
      logger,
      host: parameters.host,
      port: parameters.port,
    });
    const dispatcher = startTaskDispatcher(parameters, {
      store,
      worker,
      owner,
      ownerAccount,
      executor,
      logger,
      signal: abort.signal,
      concurrency,
    });
    let stopping: Promise<void> | undefined;
    return {
      url: server.url,
      workerpool: parameters.workerpool,
      worker: worker.walletClient.account.address,
      server,
      database,
      store,
      wake: () => dispatcher.wake(),
      stop() {
        stopping ??= stopServices({ abort, server, dispatcher, database });
        return stopping;
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** What the task loop is built from. */
type DispatcherServices = {
  store: TaskStore;
  worker: PocoWalletClient;
  /** The workerpool owner's client: publishes its orders. */
  owner: PocoClient;
  /** The workerpool owner's account: signs worker authorizations. */
  ownerAccount: LocalAccount;
  executor: TaskExecutor;
  logger: WorkerLogger;
  signal: AbortSignal;
  concurrency: number;
};

/** Starts the task loop: its task context, the deal watcher and, with an apiUrl, the orderbook keeper. */
function startTaskDispatcher(parameters: StartWorkerParameters, services: DispatcherServices): Dispatcher {
  const { store, worker, owner, ownerAccount, executor, logger, signal, concurrency } = services;
  return startDispatcher({
    context: {
      store,
      worker,
      owner: ownerAccount,
      executor,
      logger,
      signal,
      transaction: createTransactionQueue(),
      maxAttempts: parameters.maxAttempts ?? 3,
    },
    watcher: createDealWatcher({
      client: worker,
      store,
      workerpool: parameters.workerpool,
      confirmations: parameters.confirmations ?? 0,
      fromBlock: parameters.fromBlock,
    }),
    orderbook: parameters.apiUrl
      ? createOrderbookKeeper({
          apiUrl: parameters.apiUrl,
          owner,
          workerpool: parameters.workerpool,
          offer: { ...defaultOffer, ...parameters.offer },
        })
      : undefined,
    logger,
    concurrency,
    pollIntervalMs: parameters.pollIntervalMs ?? 1_000,
    orderbookIntervalMs: parameters.orderbookIntervalMs ?? 30_000,
    retryDelayMs: Math.max(parameters.pollIntervalMs ?? 1_000, 1_000),
    maxStepFailures: 5,
  });
}

/** The stop sequence: the loop at once, the HTTP server, the loop's end, then the database. */
async function stopServices(services: {
  abort: AbortController;
  server: WorkerServer;
  dispatcher: Dispatcher;
  database: WorkerDbClient;
}): Promise<void> {
  // At once: no step starts after stop() was called.
  services.abort.abort();
  await services.server.close();
  await services.dispatcher.stopped;
  await services.database.close();
}

function defaultExecutor(parameters: StartWorkerParameters, client: PocoClient): TaskExecutor {
  const platform = parameters.platform ?? (parameters.platformRootKey ? createSimulatedPlatform(parameters.platformRootKey) : undefined);
  if (!platform || !parameters.smsUrl || !parameters.storage) {
    throw new InvalidWorkerConfigError(
      'the enclave executor needs a platform (or platformRootKey), smsUrl and storage',
      'Pass platformRootKey (the devnet prints it), smsUrl and storage { apiUrl, gatewayUrl } — or an executor.',
    );
  }
  const dataDir = parameters.dataDir ?? join(tmpdir(), 'confidant-worker');
  return createEnclaveExecutor({
    client,
    platform,
    sms: createSmsClient(parameters.smsUrl),
    resolveImage: parameters.resolveImage ?? createAppImageResolver({ client, storeDir: join(dataDir, 'images') }),
    storage: parameters.storage,
    workDir: join(dataDir, 'tasks'),
  });
}
