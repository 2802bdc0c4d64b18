// Benchmark of issue "CLI": `confidant --help` start-up, `confidant test` of the hello-world
// (javascript) template, `confidant dev` from the command to a ready local network (its network
// file written), and `confidant deploy` of the template on that network (image built, pushed to the
// local registry, app registered). Every figure runs the built CLI as a user does, as a subprocess.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

export const name = 'cli';

/** The local network's publisher account (anvil's public test mnemonic, index 1): local use only. */
const PUBLISHER_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'apps', 'cli', 'bin', 'confidant.js');

function timed(args, options) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', ...options });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`confidant ${args.join(' ')} failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  return ms;
}

/**
 * Starts `confidant dev` on free ports and a fresh data folder; resolves with the ms to ready, after
 * running `whileUp(home)` (if given) against the running network.
 */
async function devToReady(home, whileUp) {
  mkdirSync(home, { recursive: true });
  const env = { ...process.env, CONFIDANT_HOME: home, CONFIDANT_DATA_DIR: join(home, 'data'), NO_COLOR: '1' };
  for (const port of ['CHAIN', 'API', 'STORAGE', 'SMS', 'WORKER', 'REGISTRY', 'WEB']) env[`CONFIDANT_${port}_PORT`] = '0';
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'dev'], { env, cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const exited = new Promise((resolve) => child.on('close', resolve));
  const networkFile = join(home, 'networks', 'local.json');
  try {
    while (!(existsSync(networkFile) && out.includes('Press Ctrl-C'))) {
      if (child.exitCode !== null) throw new Error(`confidant dev exited:\n${out}`);
      if (performance.now() - started > 120_000) throw new Error(`confidant dev not ready after 120 s:\n${out}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const ready = performance.now() - started;
    await whileUp?.(home);
    return ready;
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

export async function run() {
  const work = mkdtempSync(join(tmpdir(), 'confidant-bench-cli-'));
  const home = join(work, 'home');
  try {
    const help = [];
    timed(['--help'], { cwd: work });
    for (let i = 0; i < 10; i++) help.push(timed(['--help'], { cwd: work }));

    timed(['init', 'hello-world', '--yes', '--template', 'javascript'], { cwd: work, env: { ...process.env, CONFIDANT_HOME: home } });
    const app = join(work, 'hello-world');
    const tests = [];
    timed(['test'], { cwd: app });
    for (let i = 0; i < 5; i++) tests.push(timed(['test'], { cwd: app }));

    const devs = [];
    const deploys = [];
    devs.push(await devToReady(join(work, 'dev-0')));
    // Each deploy changes the app (a new image: built, every blob pushed, a new app registered).
    devs.push(
      await devToReady(join(work, 'dev-1'), (devHome) => {
        const env = { ...process.env, CONFIDANT_HOME: devHome, CONFIDANT_PRIVATE_KEY: PUBLISHER_KEY, NO_COLOR: '1' };
        for (let i = 0; i < 6; i++) {
          appendFileSync(join(app, 'src', 'app.js'), `\n// build ${i}\n`);
          const ms = timed(['deploy', '--name', `hello-world-${i}`], { cwd: app, env });
          if (i > 0) deploys.push(ms);
        }
      }),
    );

    return [
      { metric: '`confidant --help`, median of 10', value: median(help), unit: 'ms', goal: 300, better: 'lower' },
      {
        metric: '`confidant test` of the hello-world (javascript) template, median of 5',
        value: median(tests),
        unit: 'ms',
        goal: 1000,
        better: 'lower',
      },
      {
        metric:
          '`confidant deploy` of the hello-world template on the local network (image build, push to the local registry, app registered), median of 5',
        value: median(deploys),
        unit: 'ms',
        goal: 1500,
        better: 'lower',
      },
      {
        metric:
          '`confidant dev` from the command to a ready local network (fresh data: chain, services and web app up, demo data seeded), median of 2',
        value: median(devs),
        unit: 'ms',
        goal: 10_000,
        better: 'lower',
      },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
