#!/usr/bin/env node
// The worker as a standalone process, configured by environment variables (see readWorkerEnv in @confidant/worker).
import { processLogger, runMain } from '@confidant/server';
import { readWorkerEnv, startWorker } from '@confidant/worker';

await runMain(
  async () => {
    const env = readWorkerEnv();
    const worker = await startWorker({
      network: env.network,
      chainId: env.chainId,
      rpcUrl: env.rpcUrl,
      addresses: env.pocoAddresses,
      workerpool: env.workerpool,
      workerpoolOwnerKey: env.workerpoolOwnerKey,
      workerKey: env.workerKey,
      apiUrl: env.apiUrl,
      smsUrl: env.smsUrl,
      storage: env.storage,
      platformRootKey: env.platformRootKey,
      dataDir: env.dataDir,
      databaseUrl: env.databaseUrl,
      host: env.host,
      port: env.port,
      concurrency: env.concurrency,
      confirmations: env.confirmations,
      pollIntervalMs: env.pollIntervalMs,
      offer: env.offer,
    });
    processLogger.info(
      `Confidant worker on ${worker.url}: workerpool ${worker.workerpool}, worker ${worker.worker} (${env.network}, ${env.databaseUrl ? 'PostgreSQL' : `PGlite in ${env.dataDir}`})`,
    );
    return worker;
  },
  { name: 'worker' },
);
