#!/usr/bin/env node
// The API as a standalone process, configured by environment variables (see readApiEnv in @confidant/api).
import { join } from 'node:path';
import type { PocoAddresses } from '@confidant/contracts';
import { readApiEnv, startApi } from '@confidant/api';
import { processLogger, runMain } from '@confidant/server';

await runMain(
  async () => {
    const env = readApiEnv();
    const api = await startApi({
      network: env.network,
      chainId: env.chainId,
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
      ipfsGatewayUrl: env.ipfsGatewayUrl,
      onIndexerError: (error) => processLogger.error(`indexer: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`),
      marketMirror: env.marketMirror && {
        ...env.marketMirror,
        onError: (error) => processLogger.error(`market mirror: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`),
      },
    });
    processLogger.info(`Confidant API on ${api.url} (indexing ${env.network} from block ${env.indexerStartBlock})`);
    if (env.marketMirror)
      processLogger.info(`Mirroring the orders of ${env.marketMirror.upstreamUrl} every ${env.marketMirror.intervalMs} ms`);
    return api;
  },
  { name: 'api' },
);
