#!/usr/bin/env node
// `npm start`: the local network, kept in CONFIDANT_DATA_DIR, until Ctrl-C.
import { BaseError } from '@confidant/errors';
import { accountRoles } from '@confidant/local-chain';
import { readDevnetEnv } from './env.js';
import { startDevnet } from './startDevnet.js';

const bold = (text: string) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[0m` : text);

async function main() {
  const env = readDevnetEnv();
  const started = performance.now();
  const devnet = await startDevnet({
    dataDir: env.dataDir,
    chainPort: env.chainPort,
    apiPort: env.apiPort,
    storagePort: env.storagePort,
    smsPort: env.smsPort,
    workerPort: env.workerPort,
    databaseUrl: env.databaseUrl,
    onIndexerError: (error) => process.stderr.write(`indexer: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`),
  });
  const { chain } = devnet;
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const lines = [
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
    '  Accounts (anvil\'s public test mnemonic: local use only, never real funds)',
    ...accountRoles.map((role) => `    ${role.padEnd(10)} ${chain.accounts[role].address}`),
    '',
    `  Data directory     ${env.dataDir}`,
    '',
    'Press Ctrl-C to stop (the chain, the index, the IPFS blocks, the secrets and the worker\'s tasks are saved and restored on the next start).',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping the local network…\n');
    await devnet.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Whoever started us (npm, a terminal, a supervisor) may die without a signal reaching us.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stop(), 1_000).unref();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof BaseError ? error.message : String(error)}\n`);
  process.exit(1);
});
