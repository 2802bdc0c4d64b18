#!/usr/bin/env node
// The API as a standalone process, configured by environment variables (see readApiEnv in @confidant/api).
import { join } from 'node:path';
import { BaseError } from '@confidant/errors';
import type { PocoAddresses } from '@confidant/contracts';
import { readApiEnv, startApi } from '@confidant/api';

async function main() {
  const env = readApiEnv();
  const api = await startApi({
    network: env.network,
    rpcUrl: env.rpcUrl,
    addresses: env.pocoAddresses as PocoAddresses | undefined,
    databaseUrl: env.databaseUrl,
    dataDir: env.databaseUrl ? undefined : join(env.dataDir, 'api-db'),
    host: env.host,
    port: env.port,
    indexerStartBlock: env.indexerStartBlock,
    indexerConfirmations: env.indexerConfirmations,
    siweDomains: env.siweDomains,
    secureCookies: env.secureCookies,
    onIndexerError: (error) => process.stderr.write(`indexer: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`),
  });
  process.stdout.write(`Confidant API on ${api.url} (indexing ${env.network} from block ${env.indexerStartBlock})\n`);
  const stop = async () => {
    await api.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof BaseError ? error.message : String(error)}\n`);
  process.exit(1);
});
