import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Devnet, startDevnet } from '@confidant/devnet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localNetworkOf } from '../src/context.js';
import { CLI, cli, json, tempDir } from './publisher.support.js';

describe('confidant deploy + publish on a local network', () => {
  let devnet: Devnet;
  const home = tempDir('home');
  let env: Record<string, string>;

  beforeAll(async () => {
    devnet = await startDevnet();
    const { chain } = devnet;
    mkdirSync(join(home, 'networks'), { recursive: true });
    writeFileSync(join(home, 'networks', 'local.json'), JSON.stringify(localNetworkOf(devnet)));
    env = { CONFIDANT_PRIVATE_KEY: chain.accounts.publisher.privateKey };
  }, 120_000);
  afterAll(() => devnet?.stop());

  it('deploys the app (measured bundle, on chain) then publishes its order and listing', async () => {
    const root = tempDir('deploy');
    expect((await cli(['init', 'greeter', '--yes', '--template', 'typescript'], { cwd: root, home })).code).toBe(0);
    const dir = join(root, 'greeter');

    const deploy = await cli(['deploy', '--json'], { cwd: dir, home, env });
    expect(deploy.code, deploy.stderr + deploy.stdout).toBe(0);
    const deployed = json<{ address: string; measurement: string; network: string; files: string[] }>(deploy);
    expect(deployed.network).toBe('local');
    expect(deployed.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(deployed.measurement).toMatch(/^0x[0-9a-f]{64}$/);
    expect(deployed.files).toContain('app.js');
    expect(deployed.files).not.toContain('app.ts');
    const app = await devnet.chain.client().publicClient.getCode({ address: deployed.address as `0x${string}` });
    expect(app?.length ?? 0).toBeGreaterThan(2);

    const publish = await cli(['publish', '--json', '--price', '5', '--volume', '100', '--tag', 'greeting'], { cwd: dir, home, env });
    expect(publish.code, publish.stderr + publish.stdout).toBe(0);
    const published = json<{ app: string; order: { hash: string; price: string; volume: string }; listing: { version: number } }>(publish);
    expect(published.app).toBe(deployed.address);
    expect(published.order).toMatchObject({ price: '5', volume: '100' });
    expect(published.listing.version).toBeGreaterThanOrEqual(1);

    // The API speaks tRPC with superjson: the input goes as {"json": …}.
    const page = (await (await fetch(`${devnet.api.url}/apps.get?input=${encodeURIComponent(JSON.stringify({ json: { address: deployed.address } }))}`)).json()) as { result?: { data: unknown } };
    expect(JSON.stringify(page.result?.data ?? page)).toContain('greeting');

    const again = await cli(['deploy'], { cwd: dir, home, env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('already deployed on local, unchanged');
    expect(again.stdout).toContain(deployed.address);

    writeFileSync(join(dir, 'src', 'app.ts'), readFileSync(join(dir, 'src', 'app.ts'), 'utf8').replace('Hello', 'Hi'));
    const human = await cli(['deploy'], { cwd: dir, home, env });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/address\s+0x[0-9a-fA-F]{40}/);
    expect(human.stdout).not.toContain(deployed.address);
    expect(human.stdout).toMatch(/measurement\s+0x[0-9a-f]{64}/);
  }, 120_000);

  it('says to start the local network when it is not running', async () => {
    const root = tempDir('nonet');
    expect((await cli(['init', 'x', '--yes'], { cwd: root, home })).code).toBe(0);
    const run = await cli(['deploy'], { cwd: join(root, 'x'), home: tempDir('emptyhome'), env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('confidant dev');
  });
});

describe('confidant dev', () => {
  it('starts the local network, writes local.json, and stops cleanly on SIGINT', async () => {
    const home = tempDir('devhome');
    const ports = { CONFIDANT_CHAIN_PORT: '0', CONFIDANT_API_PORT: '0', CONFIDANT_STORAGE_PORT: '0', CONFIDANT_SMS_PORT: '0', CONFIDANT_WORKER_PORT: '0' };
    const child = spawn(process.execPath, [CLI, 'dev'], { cwd: home, env: { ...process.env, ...ports, CONFIDANT_HOME: home, CONFIDANT_DATA_DIR: join(home, 'data'), NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const networkFile = join(home, 'networks', 'local.json');
    const until = Date.now() + 90_000;
    while (!out.includes('Press Ctrl-C')) {
      if (Date.now() > until || child.exitCode !== null) throw new Error(`confidant dev did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const network = JSON.parse(readFileSync(networkFile, 'utf8'));
    expect(network).toMatchObject({ name: 'local', chainId: 31337, simulated: true });
    expect(JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'))).toEqual({ network: 'local' });
    expect(out).toContain(network.apiUrl);
    expect(out).toContain('publisher');
    const health = await fetch(network.apiUrl.replace(/\/trpc$/, '/health'));
    expect(health.ok).toBe(true);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(networkFile)).toBe(false);
  }, 120_000);
});
