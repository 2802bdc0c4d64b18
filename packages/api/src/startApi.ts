import { createPocoClient, type NetworkName, type PocoAddresses } from '@confidant/contracts';
import { createDb, type DbClient } from '@confidant/db';
import { type Address, http } from 'viem';
import type { ApiServices } from './context.js';
import { createIndexer, type Indexer } from './indexer/indexer.js';
import { type ApiServer, startApiServer } from './server.js';

export type StartApiParameters = {
  network: NetworkName;
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
  onIndexerError?: ((error: unknown) => void) | undefined;
};

export type Api = {
  url: string;
  server: ApiServer;
  database: DbClient;
  indexer: Indexer;
  services: ApiServices;
  /** Stops the indexer, the HTTP server and the database, in that order. */
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
    return {
      url: server.url,
      server,
      database,
      indexer,
      services,
      async stop() {
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
