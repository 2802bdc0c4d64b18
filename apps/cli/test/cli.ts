import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Devnet } from '@confidant/devnet';
import { localNetworkOf } from '../src/context.js';

/** The built CLI, as users run it (the test target builds it first). */
const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'confidant.js');

export type CliRun = { code: number; stdout: string; stderr: string; json: <value = Record<string, unknown>>() => value };

/**
 * Runs `confidant <args>` as a subprocess (asynchronously: the devnet serving it lives in this
 * process), with only the environment given plus PATH.
 */
export function cli(args: string[], env: Record<string, string | undefined> = {}, options: { cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env['PATH'], NO_COLOR: '1', ...env }, cwd: options.cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({
          code,
          stdout,
          stderr,
          json: <value>() => {
            try {
              return JSON.parse(stdout) as value;
            } catch {
              throw new Error(`confidant ${args.join(' ')} did not print JSON (exit ${code}):\n${stdout}\n${stderr}`);
            }
          },
        });
      },
    );
  });
}

export const tempHome = (): string => mkdtempSync(join(tmpdir(), 'confidant-cli-'));

/** What `confidant dev` would write: the local network file, from a devnet started by the test. */
export async function writeLocalNetwork(home: string, devnet: Devnet): Promise<void> {
  mkdirSync(join(home, 'networks'), { recursive: true });
  writeFileSync(join(home, 'networks', 'local.json'), JSON.stringify(await localNetworkOf(devnet)));
}
