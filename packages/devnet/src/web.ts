import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { childEnvironment } from './env.js';
import { WebAppStartError } from './errors.js';
import type { Devnet } from './startDevnet.js';

export type WebApp = { url: string; stop(): Promise<void> };

export type StartWebAppParameters = {
  /** The web app's folder (the one with its package.json and its `.next` build). */
  dir: string;
  /** Its port on loopback; 0 picks a free one. */
  port?: number | undefined;
  /** The marketplace API it renders from (`…/trpc`). */
  apiUrl: string;
  /** The network's name ("local": simulated enclaves, local accounts offered at sign-in). */
  network?: string | undefined;
  /**
   * The endpoints browsers reach directly to sign, encrypt and upload (chain, SMS, storage,
   * worker): without them the web app only reads.
   */
  endpoints?: WebAppEndpoints | undefined;
  /** Called with each error or warning line the web server prints. */
  onLog?: ((line: string) => void) | undefined;
};

/** What the browser-side flows (protect, grant, run) need of a network besides the API. */
export type WebAppEndpoints = {
  chainId: number;
  /** A local network: its chain id may be 421614 without it being Arbitrum Sepolia. */
  local?: boolean | undefined;
  rpcUrl: string;
  /** PoCo's addresses (a local chain has no preset). */
  addresses?: Record<string, string> | undefined;
  smsUrl: string;
  ipfsApiUrl: string;
  ipfsGatewayUrl: string;
  workerUrl?: string | undefined;
  workerpool?: string | undefined;
  /** iExec's market API (orders); a public network's preset when omitted. */
  marketApiUrl?: string | undefined;
  /** The DataProtector subgraph (protected data); a public network's preset when omitted. */
  dataProtectorSubgraphUrl?: string | undefined;
  /** The DataProtector contract (protecting data); a public network's preset when omitted. */
  dataProtector?: string | undefined;
};

/**
 * A running local network's endpoints, for `startWebApp`.
 *
 * @example
 * await startWebApp({ dir, apiUrl: devnet.api.url, endpoints: webEndpointsOf(devnet) });
 */
export function webEndpointsOf(devnet: Devnet): WebAppEndpoints {
  return {
    chainId: devnet.chain.chainId,
    local: true,
    rpcUrl: devnet.chain.rpcUrl,
    addresses: { ...devnet.chain.addresses },
    smsUrl: devnet.sms.url,
    ipfsApiUrl: devnet.storage.apiUrl,
    ipfsGatewayUrl: devnet.storage.gatewayUrl,
    workerUrl: devnet.worker.url,
    workerpool: devnet.worker.workerpool,
    // The local API serves iExec's market API at its origin and the DataProtector subgraph under it.
    marketApiUrl: new URL(devnet.api.url).origin,
    dataProtectorSubgraphUrl: `${new URL(devnet.api.url).origin}/subgraphs/dataprotector`,
    dataProtector: devnet.chain.dataProtector,
  };
}

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
 * Serves the production build of the web app (`next start`) on loopback against an API, and waits
 * until it answers. Undefined when that folder holds no build (an installation of the CLI alone).
 *
 * @example
 * const web = await startWebApp({ dir: webAppDir, apiUrl: devnet.api.url, endpoints: webEndpointsOf(devnet) });
 */
export async function startWebApp(parameters: StartWebAppParameters): Promise<WebApp | undefined> {
  const { dir } = parameters;
  if (!existsSync(join(dir, '.next', 'BUILD_ID'))) return undefined;
  const next = createRequire(join(dir, 'package.json')).resolve('next/dist/bin/next');
  const port = parameters.port ? parameters.port : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [next, 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: dir,
    env: childEnvironment({
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      CONFIDANT_API_URL: parameters.apiUrl,
      CONFIDANT_NETWORK: parameters.network ?? 'local',
      ...(parameters.endpoints ? { CONFIDANT_NETWORK_ENDPOINTS: JSON.stringify(parameters.endpoints) } : {}),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '' && /error|warn/i.test(line)) parameters.onLog?.(line.trim());
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
    if (child.exitCode !== null)
      throw new WebAppStartError(
        `it stopped while starting (exit ${child.exitCode}): ${output.trim().split('\n').slice(-5).join(' | ')}`,
        `Is port ${port} free? Set CONFIDANT_WEB_PORT to another port (0 picks a free one).`,
      );
    const answered = await fetch(`${url}/`, { signal: AbortSignal.timeout(5_000) }).then(
      (response) => response.status < 500,
      () => false,
    );
    if (answered) return { url, stop };
    if (Date.now() > until) {
      await stop();
      throw new WebAppStartError('it did not answer within 60 s', 'Start it alone with `pnpm --filter @confidant/web start` to see why.');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
