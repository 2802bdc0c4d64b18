#!/usr/bin/env node
// The SMS as a standalone process, configured by environment variables (see readSmsEnv in @confidant/sms).
import { processLogger, runMain } from '@confidant/server';
import { readSmsEnv, startSms } from '@confidant/sms';

await runMain(
  async () => {
    const env = readSmsEnv();
    const sms = await startSms({
      network: env.network,
      chainId: env.chainId,
      rpcUrl: env.rpcUrl,
      addresses: env.pocoAddresses,
      masterKey: env.masterKey,
      databaseUrl: env.databaseUrl,
      dataDir: env.databaseUrl ? undefined : env.dataDir,
      host: env.host,
      port: env.port,
      rateLimit: env.rateLimit,
      verifier: { trustedSimulationRoots: env.trustedSimulationRoots },
      apiUrl: env.apiUrl,
    });
    processLogger.info(`Confidant SMS on ${sms.url} (${env.network}, ${env.databaseUrl ? 'PostgreSQL' : `PGlite in ${env.dataDir}`})`);
    return sms;
  },
  { name: 'sms' },
);
