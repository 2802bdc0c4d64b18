// What `nx release` publishes, used the way a user gets it: each publishable package (nx.json's
// `release.projects`) packed with `pnpm pack` from its current build (the tools project's `test`
// depends on every package's build), then every tarball installed with npm into an empty folder
// outside the workspace, third-party dependencies from the registry. Then the CLI's bin, the SDK
// from Node, and a browser bundle of the SDK that must not need Node.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Manifest = {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string };
  publishConfig?: { access?: string };
  files?: string[];
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

/** The dependency fields a consumer's install follows. */
const runtimeFields = ['dependencies', 'peerDependencies', 'optionalDependencies'] as const;

type Run = { code: number; stdout: string; stderr: string };

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { ...options, maxBuffer: 64 * 1024 * 1024, timeout: options.timeout ?? 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
    });
  });
}

function described(result: Run) {
  return `exit ${result.code}\n--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`;
}

/**
 * The environment of a command run "with no workspace around": none of pnpm's npm_* settings (but
 * the registry, user config and cache a machine may set), and plain output (Nx forces colours).
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_registry', 'npm_config_userconfig', 'npm_config_cache']);
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => (!/^npm_/i.test(key) || keep.has(key.toLowerCase())) && key !== 'FORCE_COLOR'),
  );
  return { ...env, NO_COLOR: '1' };
}

/** Every workspace package: name -> folder and manifest. */
async function workspacePackages() {
  const packages = new Map<string, { dir: string; manifest: Manifest }>();
  for (const group of ['apps', 'packages']) {
    for (const entry of await readdir(join(root, group), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(root, group, entry.name);
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8').catch(() => 'null')) as Manifest | null;
      if (manifest) packages.set(manifest.name, { dir, manifest });
    }
  }
  return packages;
}

const nxJson = JSON.parse(await readFile(join(root, 'nx.json'), 'utf8')) as { release?: { projects?: string[] } };
const publishable: string[] = nxJson.release?.projects ?? [];
const packages = await workspacePackages();

let temp = '';
let app = '';
/** Package name -> its packed tarball and the package.json inside it. */
const packed = new Map<string, { tarball: string; manifest: Manifest; dir: string }>();
/** Packages npm cannot install from the registry, and why. */
const blocked = new Map<string, string>();
let install: Run | undefined;

/** The pnpm running this test (`pnpm run test`), else the one on PATH. */
function pnpm(args: string[], cwd: string) {
  const execPath = process.env.npm_execpath;
  return execPath && /pnpm/.test(execPath) && execPath.endsWith('.cjs')
    ? run(process.execPath, [execPath, ...args], { cwd })
    : run('pnpm', args, { cwd });
}

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'confidant-pack-'));
  const tarballs = join(temp, 'tarballs');
  await mkdir(tarballs);

  for (const name of publishable) {
    const pkg = packages.get(name);
    if (!pkg) throw new Error(`nx.json's release.projects names ${name}, which is no workspace package`);
    const out = join(tarballs, name.replace(/^@/, '').replace('/', '-'));
    await mkdir(out);
    const result = await pnpm(['pack', '--pack-destination', out], pkg.dir);
    if (result.code !== 0) throw new Error(`pnpm pack of ${name} failed: ${described(result)}`);
    const [file] = (await readdir(out)).filter((f) => f.endsWith('.tgz'));
    if (!file) throw new Error(`pnpm pack of ${name} wrote no tarball`);
    const tarball = join(out, file);
    const extracted = await run('tar', ['-xzf', tarball, '-C', out], { cwd: out });
    if (extracted.code !== 0) throw new Error(`could not extract ${tarball}: ${described(extracted)}`);
    const manifest = JSON.parse(await readFile(join(out, 'package', 'package.json'), 'utf8')) as Manifest;
    packed.set(name, { tarball, manifest, dir: join(out, 'package') });
  }

  // A packed package that names a workspace package that is not published cannot be installed
  // (npm looks it up on the registry), and neither can what depends on it.
  for (const [name, { manifest }] of packed) {
    for (const field of runtimeFields) {
      for (const [dep, spec] of Object.entries(manifest[field] ?? {})) {
        if (packages.has(dep) && !publishable.includes(dep)) {
          blocked.set(
            name,
            `its packed package.json has ${field}["${dep}"] = "${spec}", a private workspace package that is not published`,
          );
        }
      }
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, { manifest }] of packed) {
      if (blocked.has(name)) continue;
      const dep = runtimeFields.flatMap((field) => Object.keys(manifest[field] ?? {})).find((d) => blocked.has(d));
      if (dep) {
        blocked.set(name, `it depends on ${dep}, which cannot be installed`);
        changed = true;
      }
    }
  }

  app = join(temp, 'app');
  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'confidant-pack-check', private: true, type: 'module' }, null, 2));
  const installable = [...packed].filter(([name]) => !blocked.has(name)).map(([, { tarball }]) => tarball);
  install = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...installable], {
    cwd: app,
    env: cleanEnv(),
    timeout: 100_000,
  });
}, 150_000);

afterAll(async () => {
  if (temp) await rm(temp, { recursive: true, force: true });
});

describe('the publishable packages', () => {
  it('are the release group, published publicly under Apache-2.0; every other package stays private', () => {
    expect(publishable.length).toBeGreaterThan(0);
    for (const [name, { dir, manifest }] of packages) {
      if (!publishable.includes(name)) {
        expect(manifest.private, `${name} is not released: it stays private`).toBe(true);
        continue;
      }
      expect(manifest.private, name).toBeUndefined();
      expect(manifest.license, name).toBe('Apache-2.0');
      expect(manifest.publishConfig?.access, name).toBe('public');
      expect(manifest.repository?.directory, name).toBe(relative(root, dir));
      expect(manifest.files?.length, `${name} lists the files it publishes`).toBeGreaterThan(0);
    }
  });

  it('pack with one version and no workspace: protocol', () => {
    const versions = new Set([...packed.values()].map(({ manifest }) => manifest.version));
    expect([...versions], 'one fixed version for the release group').toHaveLength(1);
    for (const [name, { manifest }] of packed) {
      for (const field of [...runtimeFields, 'devDependencies'] as const) {
        for (const [dep, spec] of Object.entries(manifest[field] ?? {})) {
          expect(spec, `${name} ${field}["${dep}"]`).not.toMatch(/^(workspace|catalog|link|file):/);
        }
      }
    }
  });

  it('depend at run time only on published packages', () => {
    // A package that names a private workspace package in its dependencies cannot be installed
    // from the registry. The fix is in its package.json, not in publishing the private package.
    expect(Object.fromEntries(blocked)).toEqual({});
  });

  it('ship the license, and no sources, tests or source maps', () => {
    // `files` decides what is packed: what the package needs at run time (pnpm adds the root LICENSE).
    return Promise.all(
      [...packed].map(async ([name, { dir }]) => {
        const listing = await run('find', ['.', '-type', 'f'], { cwd: dir });
        const files = listing.stdout.split('\n').filter(Boolean);
        expect(files, name).toContain('./LICENSE');
        expect(
          files.filter((f) => /^\.\/(src|test)\/|^\.\/dist\/.*(\.test\.[cm]?[jt]s|\.map)$/.test(f)),
          name,
        ).toEqual([]);
      }),
    );
  });

  it('install together with npm, outside the workspace', () => {
    // All of them, less those the test above finds uninstallable (it fails for them, precisely).
    expect(install?.code, install && described(install)).toBe(0);
  });
});

describe('the SDK', () => {
  it('lists the API it is typed by as a devDependency only, and its JavaScript does not import it', async () => {
    const sdk = packed.get('@confidant/sdk');
    expect(sdk, '@confidant/sdk is in the release group').toBeDefined();
    for (const field of runtimeFields) expect(sdk!.manifest[field]?.['@confidant/api'], field).toBeUndefined();
    const found = await run('grep', ['-rlE', `(from|import\\()\\s*['"]@confidant/api['"/]`, '--include=*.js', 'dist'], { cwd: sdk!.dir });
    expect(found.stdout.trim(), 'built JavaScript importing @confidant/api').toBe('');
  });

  it('imports from Node', async () => {
    expect(install?.code, 'the install failed').toBe(0);
    const script = [
      "const sdk = await import('@confidant/sdk');",
      "const missing = ['createConfidantClient', 'protectData'].filter((n) => typeof sdk[n] !== 'function');",
      "if (missing.length) { console.error('missing exports: ' + missing.join(', ')); process.exit(1); }",
      "console.log('ok ' + Object.keys(sdk).length);",
    ].join('\n');
    const result = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: app, env: cleanEnv() });
    expect(result.code, described(result)).toBe(0);
    expect(result.stdout).toMatch(/^ok \d+/);
  });

  it('bundles for the browser without Node built-ins', async () => {
    expect(install?.code, 'the install failed').toBe(0);
    await writeFile(
      join(app, 'browser.js'),
      "import { createConfidantClient, protectData } from '@confidant/sdk';\nglobalThis.confidant = { createConfidantClient, protectData };\n",
    );
    const builtins = new Set(builtinModules);
    const nodeImports: string[] = [];
    const noNode: Plugin = {
      name: 'no-node-builtins',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          if (!args.path.startsWith('node:') && !builtins.has(args.path)) return undefined;
          nodeImports.push(`${args.path} (imported by ${relative(app, args.importer)})`);
          return { path: args.path, external: true };
        });
      },
    };
    const result = await build({
      entryPoints: [join(app, 'browser.js')],
      absWorkingDir: app,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [noNode],
    });
    expect(nodeImports, 'Node built-ins in the browser bundle').toEqual([]);
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.includes('node_modules/@confidant/sdk/'))).toBe(true);
    expect(inputs.filter((i) => i.includes('@confidant/api'))).toEqual([]);
  });
});

describe('the CLI', () => {
  it('`npx confidant --help` prints the usage', async () => {
    expect(blocked.get('@confidant/cli'), '@confidant/cli cannot be installed').toBeUndefined();
    expect(install?.code, 'the install failed').toBe(0);
    // --no: never fetch a package named `confidant` from the registry if the bin is missing; `--`:
    // --help is the CLI's, not npx's.
    const result = await run('npx', ['--no', '--', 'confidant', '--help'], { cwd: app, env: cleanEnv() });
    expect(result.code, described(result)).toBe(0);
    expect(result.stdout).toMatch(/Usage: confidant/);
  });

  it('`confidant dev` says the local network comes with the repository, not with the CLI', async () => {
    expect(install?.code, 'the install failed').toBe(0);
    const result = await run('npx', ['--no', '--', 'confidant', 'dev'], {
      cwd: app,
      env: { ...cleanEnv(), CONFIDANT_HOME: join(temp, 'home') },
    });
    expect(result.code, described(result)).toBe(1);
    expect(result.stderr).toContain('this installation of the CLI cannot run a local network');
    expect(result.stderr).toContain('npm start');
  });
});
