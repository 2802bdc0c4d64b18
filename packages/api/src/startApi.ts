import { createPocoClient, type NetworkName, type PocoAddresses } from '@confidant/contracts';
import { createDb, type DbClient } from '@confidant/db';
import { type Address, http } from 'viem';
import type { ApiServices } from './context.js';
import { createIndexer, type Indexer } from './indexer/indexer.js';
import { createMarketMirror, type MarketMirror } from './market/mirror.js';
import { type ApiServer, startApiServer } from './server.js';

export type StartApiParameters = {
  network: NetworkName;
  /** For the local network: its node's chain id (31337 by default, or 421614). */
  chainId?: number | undefined;
  rpcUrl: string;
  /** Required for the local network. */
  addresses?: PocoAddresses | undefined;
  databaseUrl?: string | undefined;
  /** An open database to use instead (tests); it is closed by stop() too. */
  database?: DbClient | undefined;
  /** PGlite data directory when no database URL is given (in memory when absent). */
  dataDir?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
  indexerStartBlock?: bigint | undefined;
  indexerConfirmations?: number | undefined;
  /** The DataProtector contract whose `DatasetSchema` events the indexer reads (optional). */
  dataProtector?: Address | undefined;
  siweDomains?: readonly string[] | undefined;
  secureCookies?: boolean | undefined;
  allowedOrigins?: readonly string[] | undefined;
  /** See StartApiServerParameters.cacheTtlMs. */
  cacheTtlMs?: number | undefined;
  /** The IPFS gateway the PoCo subgraph reads bulk requests from (`GET <gateway>/ipfs/<cid>`). */
  ipfsGatewayUrl?: string | undefined;
  onIndexerError?: ((error: unknown) => void) | undefined;
  /**
   * Public networks: mirror the orders of the indexed apps, datasets and workerpools from this
   * upstream market API (iExec's) every `intervalMs` (see market/mirror.ts). Off when absent.
   */
  marketMirror?: { upstreamUrl: string; intervalMs: number; onError?: ((error: unknown) => void) | undefined } | undefined;
};

export type Api = {
  url: string;
  server: ApiServer;
  database: DbClient;
  indexer: Indexer;
  /** The market mirror, when `marketMirror` was given. */
  marketMirror: MarketMirror | undefined;
  services: ApiServices;
  /** Stops the market mirror, the indexer, the HTTP server and the database, in that order. */
  stop(): Promise<void>;
};

/**
 * Starts the marketplace API: database (migrated), HTTP server and the chain indexer.
 *
 * @example
 * const api = await startApi({ network: 'local', rpcUrl, addresses, indexerStartBlock: 1n });
 */
export async function startApi(parameters: StartApiParameters): Promise<Api> {
  const database = parameters.database ?? (await createDb({ url: parameters.databaseUrl, dataDir: parameters.dataDir }));
  try {
    const poco = createPocoClient({
      network: parameters.network,
      chainId: parameters.chainId,
      addresses: parameters.addresses,
      // Batching folds the indexer's many parallel reads into few HTTP round trips.
      transport: http(parameters.rpcUrl, { batch: { batchSize: 200, wait: 0 }, retryCount: 2 }),
      rpcUrl: parameters.rpcUrl,
    });
    const services: ApiServices = {
      db: database.db,
      poco,
      siweDomains: parameters.siweDomains ?? ['localhost', '127.0.0.1'],
      secureCookies: parameters.secureCookies ?? false,
      sessionTtlSeconds: 24 * 3600,
      nonceTtlSeconds: 10 * 60,
    };
    const server = await startApiServer({
      services,
      host: parameters.host,
      port: parameters.port,
      allowedOrigins: parameters.allowedOrigins,
      cacheTtlMs: parameters.cacheTtlMs,
      ipfsGatewayUrl: parameters.ipfsGatewayUrl,
    });
    const indexer = createIndexer({
      db: database.db,
      poco,
      startBlock: parameters.indexerStartBlock ?? 0n,
      confirmations: parameters.indexerConfirmations,
      dataProtector: parameters.dataProtector,
      onError: parameters.onIndexerError,
    });
    indexer.start();
    const marketMirror = parameters.marketMirror && createMarketMirror({ db: database.db, poco, ...parameters.marketMirror });
    marketMirror?.start();
    return {
      url: server.url,
      server,
      database,
      indexer,
      marketMirror,
      services,
      async stop() {
        await marketMirror?.stop();
        await indexer.stop();
        await server.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
