import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { networkFileSchema, type NetworkFile, paths } from '../../context.js';
import type { Output } from '../../output.js';

const bold = (text: string) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[0m` : text);

/**
 * `confidant dev`: the whole local network (what `npm start` runs), its endpoints written to
 * <CONFIDANT_HOME>/networks/local.json for every other command, until Ctrl-C. Settings come from
 * the same environment as the devnet's own bin: CONFIDANT_DATA_DIR, CONFIDANT_*_PORT (0 = free), DATABASE_URL.
 */
export async function runDev(output: Output): Promise<void> {
  const { readDevnetEnv, startDevnet } = await import('@confidant/devnet');
  const env = readDevnetEnv();
  const started = performance.now();
  const step = output.step('starting the local network');
  const devnet = await startDevnet({
    dataDir: env.dataDir,
    chainPort: env.chainPort,
    apiPort: env.apiPort,
    storagePort: env.storagePort,
    smsPort: env.smsPort,
    workerPort: env.workerPort,
    databaseUrl: env.databaseUrl,
    onIndexerError: (error) => output.warn(`indexer: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`),
  }).catch((error: unknown) => {
    step.fail();
    throw error;
  });
  step.done();
  const { chain } = devnet;
  const network: NetworkFile = networkFileSchema.parse({
    name: 'local',
    chainId: chain.chainId,
    rpcUrl: chain.rpcUrl,
    addresses: chain.addresses,
    apiUrl: devnet.api.url,
    smsUrl: devnet.sms.url,
    ipfsApiUrl: devnet.storage.apiUrl,
    ipfsGatewayUrl: devnet.storage.gatewayUrl,
    workerUrl: devnet.worker.url,
    workerpool: chain.workerpool.address,
    simulated: true,
  });
  const home = paths();
  const networkFile = home.network('local');
  mkdirSync(dirname(networkFile), { recursive: true });
  writeFileSync(networkFile, `${JSON.stringify(network, null, 2)}\n`);
  if (!existsSync(home.config)) writeFileSync(home.config, `${JSON.stringify({ network: 'local' }, null, 2)}\n`);

  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const accounts = Object.fromEntries(Object.entries(chain.accounts).map(([role, account]) => [role, account.address]));
  output.result({ ready: true, startedInMs: Math.round(performance.now() - started), networkFile, network, accounts, dataDir: env.dataDir, platformRoot: devnet.platformRoot }, () =>
    [
      '',
      bold('Confidant local network is up') + ` in ${seconds} s (${chain.deployed ? 'PoCo freshly deployed' : 'chain and index restored'})`,
      '',
      `  Chain (JSON-RPC)   ${chain.rpcUrl}   chain id ${chain.chainId}`,
      `  Marketplace API    ${devnet.api.url}   (tRPC; indexing from block ${chain.startBlock}, database ${env.databaseUrl ? 'PostgreSQL' : 'PGlite'})`,
      `  IPFS (kubo RPC)    ${devnet.storage.apiUrl}   (POST /api/v0/add)`,
      `  IPFS gateway       ${devnet.storage.gatewayUrl}/ipfs/<cid>`,
      `  SMS                ${devnet.sms.url}   (trusts the simulated platform root ${devnet.platformRoot} only)`,
      `  Worker             ${devnet.worker.url}   (worker ${devnet.worker.worker}; task logs for their requester)`,
      `  PoCo diamond       ${chain.addresses.poco}`,
      `  RLC token          ${chain.addresses.rlc}`,
      `  App registry       ${chain.addresses.appRegistry}`,
      `  Dataset registry   ${chain.addresses.datasetRegistry}`,
      `  Workerpool reg.    ${chain.addresses.workerpoolRegistry}`,
      `  TEE workerpool     ${chain.workerpool.address} (SIMULATED enclaves: the host can read their memory)`,
      '',
      "  Accounts (anvil's public test mnemonic: local use only, never real funds)",
      ...Object.entries(accounts).map(([role, address]) => `    ${role.padEnd(10)} ${address}`),
      '',
      `  Data directory     ${env.dataDir}`,
      `  Network file       ${networkFile}   (what confidant deploy, publish… use)`,
      '',
      "Press Ctrl-C to stop (the chain, the index, the IPFS blocks, the secrets and the worker's tasks are saved and restored on the next start).",
      '',
    ].join('\n'),
  );

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      if (!output.json) process.stdout.write('\nstopping the local network…\n');
      rmSync(networkFile, { force: true });
      try {
        await devnet.stop();
      } finally {
        resolve();
      }
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // Whoever started us (npm, a terminal, a supervisor) may die without a signal reaching us.
    const parent = process.ppid;
    setInterval(() => process.ppid !== parent && void stop(), 1_000).unref();
  });
  process.exit(0);
}
