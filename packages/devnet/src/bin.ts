#!/usr/bin/env node
// `npm start`: the local network, kept in CONFIDANT_DATA_DIR, until Ctrl-C.
import { BaseError } from '@confidant/errors';
import { readDevnetEnv } from './env.js';
import { startDevnet } from './startDevnet.js';
import { devnetSummary } from './summary.js';

const bold = (text: string) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[0m` : text);

async function main() {
  const env = readDevnetEnv();
  const started = performance.now();
  const devnet = await startDevnet({
    ...env,
    onIndexerError: (error) => process.stderr.write(`indexer: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`),
  });
  const lines = devnetSummary(devnet, { seconds: (performance.now() - started) / 1000, dataDir: env.dataDir, database: env.databaseUrl ? 'PostgreSQL' : 'PGlite', bold });
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
