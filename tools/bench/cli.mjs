// Benchmark of issue "CLI": `confidant --help` start-up, `confidant test` of the hello-world
// (javascript) template, and `confidant dev` from the command to a ready local network (its
// network file written). Every figure runs the built CLI as a user does, as a subprocess.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

export const name = 'cli';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'apps', 'cli', 'bin', 'confidant.js');

function timed(args, options) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', ...options });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`confidant ${args.join(' ')} failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  return ms;
}

/** Starts `confidant dev` on free ports and a fresh data folder; resolves with the ms to ready. */
async function devToReady(home) {
  mkdirSync(home, { recursive: true });
  const env = { ...process.env, CONFIDANT_HOME: home, CONFIDANT_DATA_DIR: join(home, 'data'), NO_COLOR: '1' };
  for (const port of ['CHAIN', 'API', 'STORAGE', 'SMS', 'WORKER']) env[`CONFIDANT_${port}_PORT`] = '0';
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
    return performance.now() - started;
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
    for (let i = 0; i < 2; i++) devs.push(await devToReady(join(work, `dev-${i}`)));

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
