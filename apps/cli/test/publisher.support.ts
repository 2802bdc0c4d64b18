import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI: tests run it as users do, as a subprocess (nx builds it before the tests). */
export const CLI = fileURLToPath(new URL('../bin/confidant.js', import.meta.url));

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `confidant-${prefix}-`));

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** Runs `confidant <args>` without blocking the event loop (a devnet may run in this process). */
export function cli(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; home: string; timeoutMs?: number },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', CONFIDANT_HOME: options.home, CONFIDANT_PRIVATE_KEY: undefined, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export const json = <value = Record<string, unknown>>(run: CliRun): value => {
  try {
    return JSON.parse(run.stdout) as value;
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
};
