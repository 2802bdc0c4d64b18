#!/usr/bin/env node
// The SMS as a standalone process, configured by environment variables (see readSmsEnv in @confidant/sms).
import { BaseError } from '@confidant/errors';
import { readSmsEnv, startSms } from '@confidant/sms';

async function main() {
  const env = readSmsEnv();
  const sms = await startSms({
    network: env.network,
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
  process.stdout.write(`Confidant SMS on ${sms.url} (${env.network}, ${env.databaseUrl ? 'PostgreSQL' : `PGlite in ${env.dataDir}`})\n`);
  const stop = async () => {
    await sms.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof BaseError ? error.message : String(error)}\n`);
  process.exit(1);
});
