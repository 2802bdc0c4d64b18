#!/usr/bin/env node
// The README's commands (`npm start`, `npm test`, `npm run bench`) on a machine that has only Node and
// npm: fetch the pinned pnpm from the npm registry into .cache/ (corepack's signature check fails
// against the registry this project uses, so corepack is not an option), install the workspace when
// its manifests changed, then hand over to Nx.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = rootManifest.packageManager.replace(/^pnpm@/, '');
const pnpmHome = join(root, '.cache', 'pnpm', pnpmVersion);
const pnpmBin = join(pnpmHome, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
const installStamp = join(root, 'node_modules', '.confidant-install');

const env = {
  ...process.env,
  // Nx runs each project's scripts through `pnpm run`: the pinned pnpm must be on PATH.
  PATH: [join(pnpmHome, 'node_modules', '.bin'), process.env.PATH].filter(Boolean).join(delimiter),
  // Nx runs in-process here: no daemon left behind, no cloud, plain logs a CI can read.
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  NX_SKIP_NX_CACHE: process.env.NX_SKIP_NX_CACHE ?? (process.env.CI ? 'true' : 'false'),
};

function say(message) {
  process.stdout.write(`\u001b[1m[confidant]\u001b[0m ${message}\n`);
}

function run(command, args, options = {}) {
  const status = runStatus(command, args, options);
  if (status !== 0) process.exit(status);
}

function runStatus(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

const testResults = join(root, '.cache', 'test-results');

/** Sums every project's vitest JSON report into one closing line a CI can read. */
function printTestSummary() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const files = existsSync(testResults) ? readdirSync(testResults).filter((f) => f.endsWith('.json')) : [];
  for (const file of files) {
    const report = JSON.parse(readFileSync(join(testResults, file), 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numFailedTestSuites && !report.numFailedTests ? report.numFailedTestSuites : 0);
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  }
  process.stdout.write(`\nTests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
}

function ensurePnpm() {
  if (existsSync(pnpmBin)) return;
  say(`fetching pnpm ${pnpmVersion} into .cache/pnpm (one time)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  run(npm, ['install', '--prefix', pnpmHome, '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', `pnpm@${pnpmVersion}`]);
}

function pnpm(args) {
  run(process.execPath, [pnpmBin, ...args]);
}

/** A digest of every manifest that decides what `pnpm install` does. */
function manifestsDigest() {
  const hash = createHash('sha256');
  const files = ['package.json', 'pnpm-workspace.yaml', 'pnpm-lock.yaml'];
  for (const group of ['apps', 'packages']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) files.push(join(group, name, 'package.json'));
  }
  files.push(join('tools', 'package.json'), join('e2e', 'package.json'));
  for (const file of files) {
    const path = join(root, file);
    hash.update(file);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest('hex');
}

function ensureInstalled() {
  ensurePnpm();
  const digest = manifestsDigest();
  if (existsSync(installStamp) && readFileSync(installStamp, 'utf8') === digest) return;
  say('installing dependencies');
  const frozen = process.env.CI && existsSync(join(root, 'pnpm-lock.yaml'));
  pnpm(['install', frozen ? '--frozen-lockfile' : '--prefer-offline']);
  writeFileSync(installStamp, manifestsDigest());
}

function nx(args) {
  pnpm(['exec', 'nx', ...args]);
}

/**
 * The checks that catch drift across the whole workspace, not per project: the formatter (Biome,
 * biome.json) and unused files, exports and dependencies (knip, knip.json). Returns their exit status.
 */
function driftChecks() {
  say('formatting (biome) and unused files, exports and dependencies (knip)');
  const formatted = runStatus(process.execPath, [pnpmBin, 'exec', 'biome', 'ci', '--linter-enabled=false', '--assist-enabled=false', '.']);
  if (formatted !== 0) say('the code is not formatted: run `npm run format`');
  const unused = runStatus(process.execPath, [pnpmBin, 'exec', 'knip', '--no-progress']);
  return formatted || unused;
}

const command = process.argv[2];
switch (command) {
  case 'install':
    ensureInstalled();
    break;
  case 'test': {
    ensureInstalled();
    say('lint, typecheck, build and test every project');
    rmSync(testResults, { recursive: true, force: true });
    // Extra arguments go to Nx, e.g. `npm test -- --projects=@confidant/api`; the workspace-wide
    // checks run with the whole suite only.
    const drift = process.argv.length > 3 ? 0 : driftChecks();
    const status = runStatus(process.execPath, [
      pnpmBin,
      'exec',
      'nx',
      'run-many',
      '-t',
      'lint',
      'typecheck',
      'build',
      'test',
      '--outputStyle=static',
      ...process.argv.slice(3),
    ]);
    printTestSummary();
    process.exit(status || drift);
  }
  case 'test-browser': {
    ensureInstalled();
    say('browser tests: Playwright driving chromium against the production web build and a local network');
    const status = runStatus(process.execPath, [
      pnpmBin,
      'exec',
      'nx',
      'run',
      '@confidant/e2e:test:browser',
      '--outputStyle=static',
      ...process.argv.slice(3),
    ]);
    process.exit(status);
  }
  case 'check': {
    ensureInstalled();
    const drift = driftChecks();
    nx(['run-many', '-t', 'lint', 'typecheck', '--outputStyle=static']);
    process.exit(drift);
  }
  case 'format':
    ensureInstalled();
    // Rewrites every file the way `npm test` checks it (biome.json).
    pnpm(['exec', 'biome', 'format', '--write', '.']);
    break;
  case 'bench':
    ensureInstalled();
    // tools:bench depends on every package's build (nx.json), so it runs against fresh dist/.
    nx(['run', 'tools:bench', '--outputStyle=static', '--', ...process.argv.slice(3)]);
    break;
  case 'release':
    ensureInstalled();
    // nx release (nx.json "release"): the publishable packages as one version, bumped by the conventional
    // commits since the last v* tag, CHANGELOG.md, a commit and a tag, then publishing (asked first).
    // `npm run release -- --dry-run` prints what it would change and changes nothing.
    nx(['release', ...process.argv.slice(3)]);
    break;
  case 'start': {
    ensureInstalled();
    say('building');
    nx(['run-many', '-t', 'build', '--outputStyle=static']);
    say('starting the local network (confidant dev)');
    // The CLI's `dev` command: the devnet, plus the network file every other confidant command reads.
    const child = spawn(process.execPath, [join(root, 'apps', 'cli', 'bin', 'confidant.js'), 'dev', ...process.argv.slice(3)], {
      cwd: root,
      stdio: 'inherit',
      env,
    });
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
    // npm does not pass on a SIGTERM it receives (e.g. from `timeout`): notice that it is gone.
    const parent = process.ppid;
    setInterval(() => process.ppid !== parent && child.kill('SIGINT'), 1_000).unref();
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
    break;
  }
  default:
    process.stderr.write('usage: node tools/scripts/workspace.mjs <install|start|test|check|bench>\n');
    process.exit(2);
}
