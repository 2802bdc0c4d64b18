#!/usr/bin/env node
// `npm start`: the local network, kept in CONFIDANT_DATA_DIR, until Ctrl-C.
import { join } from 'node:path';
import { BaseError } from '@confidant/errors';
import { accountRoles } from './accounts.js';
import { readDevnetEnv } from './env.js';
import { startDevnet } from './startDevnet.js';

const bold = (text: string) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[0m` : text);

async function main() {
  const env = readDevnetEnv();
  const started = performance.now();
  const devnet = await startDevnet({ dataDir: join(env.dataDir, 'devnet'), port: env.chainPort });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const lines = [
    '',
    bold('Confidant local network is up') + ` (${devnet.deployed ? 'PoCo deployed' : 'chain restored'} in ${seconds} s)`,
    '',
    `  Chain (JSON-RPC)   ${devnet.rpcUrl}   chain id ${devnet.chainId}`,
    `  PoCo diamond       ${devnet.addresses.poco}`,
    `  RLC token          ${devnet.addresses.rlc}`,
    `  App registry       ${devnet.addresses.appRegistry}`,
    `  Dataset registry   ${devnet.addresses.datasetRegistry}`,
    `  Workerpool reg.    ${devnet.addresses.workerpoolRegistry}`,
    `  TEE workerpool     ${devnet.workerpool.address} (simulated enclaves)`,
    '',
    '  Accounts (anvil\'s public test mnemonic: local use only, never real funds)',
    ...accountRoles.map((role) => `    ${role.padEnd(10)} ${devnet.accounts[role].address}`),
    '',
    `  Data directory     ${env.dataDir}`,
    '',
    'Press Ctrl-C to stop (the chain is saved and restored on the next start).',
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
