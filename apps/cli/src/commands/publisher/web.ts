import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, EXIT } from '../../output.js';

/** The marketplace web app of this repository (apps/web), from src/ or dist/ alike. */
export const webAppDir = (): string => fileURLToPath(new URL('../../../../web/', import.meta.url));

export type RunningWeb = { url: string; stop(): Promise<void> };

/** A free loopback port (what port 0 means for the other services). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Serves the built web app (`next start`) on loopback against the local network's API, and waits
 * until it answers. Undefined when this installation has no built web app (the CLI alone).
 */
export async function startWeb(options: { port: number; apiUrl: string; network: string; onLog?: (line: string) => void }): Promise<RunningWeb | undefined> {
  const dir = webAppDir();
  if (!existsSync(join(dir, '.next', 'BUILD_ID'))) return undefined;
  const next = createRequire(join(dir, 'package.json')).resolve('next/dist/bin/next');
  const port = options.port === 0 ? await freePort() : options.port;
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [next, 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', CONFIDANT_API_URL: options.apiUrl, CONFIDANT_NETWORK: options.network },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '' && /error|warn/i.test(line)) options.onLog?.(line.trim());
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new CliError(`the web app stopped while starting (exit ${child.exitCode}): ${output.trim().split('\n').slice(-5).join(' | ')}`, `Is port ${port} free? Set CONFIDANT_WEB_PORT to another port (0 picks a free one).`, EXIT.failure);
    const answered = await fetch(`${url}/`, { signal: AbortSignal.timeout(5_000) }).then((response) => response.status < 500, () => false);
    if (answered) return { url, stop };
    if (Date.now() > until) {
      await stop();
      throw new CliError('the web app did not answer within 60 s', 'Run with --verbose, or start it alone with `pnpm --filter @confidant/web start` to see why.', EXIT.failure);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
