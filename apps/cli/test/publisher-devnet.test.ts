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
    writeFileSync(join(home, 'networks', 'local.json'), JSON.stringify(await localNetworkOf(devnet)));
    env = { CONFIDANT_PRIVATE_KEY: chain.accounts.publisher.privateKey };
  }, 120_000);
  afterAll(() => devnet?.stop());

  it('deploys the app (its image pushed to the local registry, registered as iExec 9 does) then publishes its order and listing', async () => {
    const root = tempDir('deploy');
    expect((await cli(['init', 'greeter', '--yes', '--template', 'typescript'], { cwd: root, home })).code).toBe(0);
    const dir = join(root, 'greeter');

    const deploy = await cli(['deploy', '--json'], { cwd: dir, home, env });
    expect(deploy.code, deploy.stderr + deploy.stdout).toBe(0);
    const deployed = json<{ address: `0x${string}`; measurement: string; digest: string; image: string; network: string; files: string[] }>(
      deploy,
    );
    expect(deployed.network).toBe('local');
    expect(deployed.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(deployed.measurement).toMatch(/^0x[0-9a-f]{64}$/);
    expect(deployed.digest).toBe(`sha256:${deployed.measurement.slice(2)}`);
    expect(deployed.image).toBe(`${devnet.registry.registry}/iapps/greeter:${deployed.digest.slice(7, 19)}`);
    expect(deployed.files).toContain('app.js');
    expect(deployed.files).not.toContain('app.ts');
    // On chain as iExec 9 registers an app: the image as multiaddr, its manifest digest as checksum, no MREnclave.
    const { getApp } = await import('@confidant/contracts');
    const onChain = await getApp(devnet.chain.client(), { app: deployed.address });
    expect(onChain).toMatchObject({ type: 'DOCKER', multiaddrText: deployed.image, checksum: deployed.measurement, mrenclave: '0x' });
    const manifest = await fetch(`${devnet.registry.url}/v2/iapps/greeter/manifests/${deployed.digest}`, { method: 'HEAD' });
    expect(manifest.status).toBe(200);
    // One number from test to run: `confidant test` builds the same image and prints its digest.
    const tested = await cli(['test', '--json'], { cwd: dir, home });
    expect(tested.code, tested.stderr + tested.stdout).toBe(0);
    expect(json<{ digest: string; measurement: string }>(tested)).toMatchObject({
      digest: deployed.digest,
      measurement: deployed.measurement,
    });

    const publish = await cli(['publish', '--json', '--price', '5', '--volume', '100', '--tag', 'greeting'], { cwd: dir, home, env });
    expect(publish.code, publish.stderr + publish.stdout).toBe(0);
    const published = json<{ app: string; order: { hash: string; price: string; volume: string }; listing: { version: number } }>(publish);
    expect(published.app).toBe(deployed.address);
    expect(published.order).toMatchObject({ price: '5', volume: '100' });
    expect(published.listing.version).toBeGreaterThanOrEqual(1);

    // The API speaks tRPC with superjson: the input goes as {"json": …}.
    const page = (await (
      await fetch(`${devnet.api.url}/apps.get?input=${encodeURIComponent(JSON.stringify({ json: { address: deployed.address } }))}`)
    ).json()) as { result?: { data: unknown } };
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
    expect(human.stdout).toMatch(/digest\s+sha256:[0-9a-f]{64}/);
  }, 120_000);

  it('deploys to a network of real enclaves by building, pushing and registering the image', async () => {
    // FAKE: a stand-in for the Docker CLI (no Docker engine can run here). It checks what it is asked
    // to build, answers `docker push` as a registry does, and logs every call.
    const bin = tempDir('fakedocker');
    const log = join(bin, 'calls.log');
    writeFileSync(
      join(bin, 'docker'),
      `#!${process.execPath}
const { appendFileSync, existsSync } = require('node:fs');
const { createHash } = require('node:crypto');
const args = process.argv.slice(2);
appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + '\\n');
if (args[0] === 'info') { console.log('27.0.0'); process.exit(0); }
if (args[0] === 'build') {
  if (!existsSync(args[args.length - 1] + '/Dockerfile')) { console.error('failed to read dockerfile'); process.exit(1); }
  console.log('writing image sha256:' + createHash('sha256').update('config').digest('hex')); process.exit(0);
}
if (args[0] === 'push') {
  if (process.env.FAKE_DOCKER_DENY) { console.error('denied: requested access to the resource is denied'); process.exit(1); }
  console.log('The push refers to repository [' + args[1].split(':')[0] + ']');
  console.log(args[1].split(':').pop() + ': digest: sha256:' + createHash('sha256').update(args[1]).digest('hex') + ' size: 1573');
  process.exit(0);
}
console.error('unexpected docker ' + args.join(' ')); process.exit(1);
`,
      { mode: 0o755 },
    );
    const staging = { ...(await localNetworkOf(devnet)), name: 'staging', simulated: false };
    writeFileSync(join(home, 'networks', 'staging.json'), JSON.stringify(staging));
    const root = tempDir('image');
    expect((await cli(['init', 'greeter', '--yes', '--template', 'python'], { cwd: root, home })).code).toBe(0);
    const dir = join(root, 'greeter');
    const withDocker = { ...env, PATH: `${bin}:${process.env.PATH}` };

    const noImage = await cli(['deploy', '--network', 'staging'], { cwd: dir, home, env: withDocker });
    expect(noImage.code).toBe(2);
    expect(noImage.stderr).toContain('--image docker.io/<you>/greeter:1.0.0');
    const badImage = await cli(['deploy', '--network', 'staging', '--image', 'Docker.io/Alice/greeter'], {
      cwd: dir,
      home,
      env: withDocker,
    });
    expect(badImage.code).toBe(2);
    expect(badImage.stderr).toContain('is not a tagged image name');
    const denied = await cli(['deploy', '--network', 'staging', '--image', 'docker.io/alice/greeter:1.0.0'], {
      cwd: dir,
      home,
      env: { ...withDocker, FAKE_DOCKER_DENY: '1' },
    });
    expect(denied.code).toBe(3);
    expect(denied.stderr).toContain('the image was built but not pushed');
    expect(denied.stderr).toContain('docker login docker.io');

    const image = 'docker.io/alice/greeter:1.0.0';
    const deploy = await cli(['deploy', '--network', 'staging', '--image', image, '--json'], { cwd: dir, home, env: withDocker });
    expect(deploy.code, deploy.stderr + deploy.stdout).toBe(0);
    const deployed = json<{ address: `0x${string}`; digest: string; checksum: string; network: string }>(deploy);
    const { createHash } = await import('node:crypto');
    const digest = createHash('sha256').update(image).digest('hex');
    expect(deployed).toMatchObject({
      network: 'staging',
      digest: `sha256:${digest}`,
      checksum: `0x${digest}`,
    });
    const { getApp } = await import('@confidant/contracts');
    const onChain = await getApp(devnet.chain.client(), { app: deployed.address });
    expect(onChain.multiaddrText).toBe(image);
    expect(onChain.checksum).toBe(`0x${digest}`);
    // As iExec 9 registers apps: no MREnclave (iExec's clients refuse apps that carry one).
    expect(onChain.mrenclave).toBe('0x');
    const calls = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[]);
    expect(calls.filter((call) => call[0] === 'build').at(-1)).toEqual(['build', '--platform', 'linux/amd64', '--tag', image, dir]);
    expect(calls.filter((call) => call[0] === 'push').at(-1)).toEqual(['push', image]);
    expect(JSON.parse(readFileSync(join(dir, '.confidant', 'deployments.json'), 'utf8')).staging.address).toBe(deployed.address);

    const again = await cli(['deploy', '--network', 'staging', '--image', image], { cwd: dir, home, env: withDocker });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('already deployed on staging, unchanged');
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
    const ports = {
      CONFIDANT_CHAIN_PORT: '0',
      CONFIDANT_API_PORT: '0',
      CONFIDANT_STORAGE_PORT: '0',
      CONFIDANT_SMS_PORT: '0',
      CONFIDANT_WORKER_PORT: '0',
      CONFIDANT_WEB_PORT: '0',
    };
    const child = spawn(process.execPath, [CLI, 'dev'], {
      cwd: home,
      env: { ...process.env, ...ports, CONFIDANT_HOME: home, CONFIDANT_DATA_DIR: join(home, 'data'), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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

    // The demo: two listed apps and a protected data granted to both, usable at once by anyone.
    const demo = [...out.matchAll(/^ {2}(App|Protected data) +(0x[0-9a-fA-F]{40}) /gm)].map(([, kind, address]) => ({
      kind,
      address: address as string,
    }));
    const apps = demo.filter((entry) => entry.kind === 'App').map((entry) => entry.address);
    const data = demo.find((entry) => entry.kind === 'Protected data')?.address as string;
    expect(apps).toHaveLength(2);
    expect(out).toContain('Hello, protected world');
    // The web app serves the catalogue with the demo apps in it.
    const webUrl = /Web app +(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(webUrl, out).toBeTruthy();
    const catalogue = await (await fetch(`${webUrl}/`)).text();
    for (const app of apps) expect(catalogue).toContain(`/apps/${app.toLowerCase()}`);
    const listed = (await (
      await fetch(`${network.apiUrl}/apps.list?input=${encodeURIComponent(JSON.stringify({ json: { q: 'demo' } }))}`)
    ).json()) as { result: { data: { json: { items: { address: string; title: string }[] } } } };
    expect(listed.result.data.json.items.map((app) => app.address.toLowerCase()).sort()).toEqual(
      apps.map((app) => app.toLowerCase()).sort(),
    );
    // anvil's public test key of the requester account (index 3): a local network's accounts are public.
    const requester = { CONFIDANT_PRIVATE_KEY: '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6' };
    for (const app of apps) {
      const resultDir = tempDir('demo-result');
      const run = await cli(['--json', 'run', app, '--data', data, '--out', resultDir], {
        cwd: home,
        home,
        env: requester,
        timeoutMs: 90_000,
      });
      expect(run.code, run.stderr + run.stdout).toBe(0);
      expect(readFileSync(join(resultDir, 'result.txt'), 'utf8')).toContain('Hello, Alice!');
    }

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(networkFile)).toBe(false);
  }, 120_000);
});
