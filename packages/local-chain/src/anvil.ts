import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AnvilStartError } from './errors.js';

const require = createRequire(import.meta.url);

/** The anvil binary shipped by @foundry-rs/anvil's platform package (no download, no postinstall). */
export function anvilBinary(): string {
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch as 'x64' | 'arm64'];
  const platformPackage = `@foundry-rs/anvil-${process.platform}-${arch ?? process.arch}`;
  const fromAnvil = createRequire(require.resolve('@foundry-rs/anvil/package.json'));
  let binary: string;
  try {
    binary = join(
      dirname(fromAnvil.resolve(`${platformPackage}/package.json`)),
      'bin',
      process.platform === 'win32' ? 'anvil.exe' : 'anvil',
    );
  } catch (error) {
    throw new AnvilStartError(`${platformPackage} is not installed`, String(error));
  }
  if (!existsSync(binary)) throw new AnvilStartError(`${binary} is missing`, '');
  return binary;
}

export type AnvilOptions = {
  /** 0 (default) picks a free port. */
  port?: number | undefined;
  host?: string | undefined;
  chainId?: number | undefined;
  /** Load the chain from this file if it exists and write it back on a graceful stop. */
  stateFile?: string | undefined;
  accounts?: number | undefined;
  blockGasLimit?: bigint | undefined;
  /** Mine only on `evm_mine` instead of once per transaction (tests of block packing). */
  manualMining?: boolean | undefined;
};

export type Anvil = {
  rpcUrl: string;
  port: number;
  process: ChildProcess;
  /** Stops anvil (SIGINT: it writes its state file first) and waits for it to exit. */
  stop(): Promise<void>;
};

/**
 * Starts anvil on loopback and resolves once it listens.
 *
 * @example
 * const anvil = await startAnvil({ port: 0 });
 * await anvil.stop();
 */
export async function startAnvil(options: AnvilOptions = {}): Promise<Anvil> {
  const host = options.host ?? '127.0.0.1';
  const args = [
    '--host',
    host,
    '--port',
    String(options.port ?? 0),
    '--chain-id',
    String(options.chainId ?? 31337),
    '--accounts',
    String(options.accounts ?? 10),
    '--gas-limit',
    String(options.blockGasLimit ?? 1_000_000_000n),
    '--code-size-limit',
    String(0x10000),
  ];
  if (options.stateFile) args.push('--state', options.stateFile);
  if (options.manualMining) args.push('--no-mining');
  const child = spawn(anvilBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Listening on [^\s:]+:(\d+)/.exec(output);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => reject(new AnvilStartError(error.message, output)));
    child.once('exit', (code, signal) => reject(new AnvilStartError(`it exited (${signal ?? `code ${code}`})`, output)));
  });
  // Keep draining anvil's output so it never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  // If this process ends without calling stop() (a crash, process.exit), anvil must not outlive it.
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return {
    rpcUrl: `http://${host}:${port}`,
    port,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
