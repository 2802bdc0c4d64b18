import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built marketplace web app (apps/web; its build runs before these tests). */
export const WEB_DIR = fileURLToPath(new URL('../../apps/web/', import.meta.url));

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** `next start` of the production build on a free loopback port, against the given API. */
export async function startWebServer(env: { apiUrl: string; network?: string }): Promise<{ url: string; stop(): Promise<void> }> {
  const next = createRequire(join(WEB_DIR, 'package.json')).resolve('next/dist/bin/next');
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [next, 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: WEB_DIR,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', CONFIDANT_API_URL: env.apiUrl, CONFIDANT_NETWORK: env.network ?? 'local' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  while (!(await fetch(url).then((r) => r.status < 500, () => false))) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`the web app did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
