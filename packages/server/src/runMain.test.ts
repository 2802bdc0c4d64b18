import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// runMain ends its process, so each case runs a real one: the kit's sources, compiled to JavaScript
// in a temporary folder, and a main that serves on loopback with listen().
const source = dirname(fileURLToPath(import.meta.url));
let folder: string;

const MAIN = `
import { BaseError } from '@confidant/errors';
import { listen, processLogger, runMain } from './index.js';

const scenario = process.argv[2];
await runMain(async () => {
  processLogger.info('starting');
  if (scenario === 'refused') throw new BaseError('the fixture cannot start: FIXTURE_PORT is not a number', { hints: ['Set FIXTURE_PORT to a port, e.g. 8080.'], kind: 'invalid-input' });
  if (scenario === 'crashed') throw new TypeError('cannot read properties of undefined');
  if (scenario === 'slow-start') await new Promise((resolve) => setTimeout(resolve, 300));
  const served = await listen((_req, res) => res.end('fixture'));
  processLogger.info('listening ' + served.url);
  return {
    async stop() {
      if (scenario === 'stuck-stop') await new Promise(() => setInterval(() => {}, 1000));
      if (scenario === 'failed-stop') throw new BaseError('the fixture could not flush its database', { hints: ['Check the disk.'] });
      await served.close();
      processLogger.info('stopped');
    },
  };
}, { name: 'fixture' });
`;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'confidant-run-main-'));
  for (const file of readdirSync(source).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))) {
    const { outputText } = ts.transpileModule(readFileSync(join(source, file), 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
      fileName: file.replace(/\.ts$/, '.mts'),
    });
    writeFileSync(join(folder, file.replace(/\.ts$/, '.js')), outputText);
  }
  writeFileSync(join(folder, 'package.json'), '{"type":"module"}');
  writeFileSync(join(folder, 'main.js'), MAIN);
  // @confidant/errors resolves through this package's own dependencies (its build).
  symlinkSync(join(source, '..', 'node_modules'), join(folder, 'node_modules'), 'dir');
});
afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

type Run = {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

function run(scenario: string): Run {
  const child = spawn(process.execPath, [join(folder, 'main.js'), scenario], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** The first capture of `pattern` in the fixture's stdout, once it printed it. */
async function printed(main: Run, pattern: RegExp): Promise<string> {
  for (let waited = 0; waited < 20_000; waited += 20) {
    const found = pattern.exec(main.stdout());
    if (found) return found[1] ?? found[0];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the fixture did not print ${pattern}: ${main.stderr()}`);
}

const listening = (main: Run) => printed(main, /listening (\S+)/);

describe('runMain', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('stops once on %s, then exits 0', async (signal) => {
    const main = run('serve');
    const url = await listening(main);
    expect(await (await fetch(url)).text()).toBe('fixture');
    main.child.kill(signal);
    expect(await main.exited).toEqual({ code: 0, signal: null });
    expect(main.stdout()).toMatch(/listening \S+\nstopped\n$/);
    expect(main.stderr()).toBe('');
    await expect(fetch(url)).rejects.toThrow();
  });

  it("prints a BaseError's readable message and exits 1 when start fails", async () => {
    const main = run('refused');
    expect(await main.exited).toEqual({ code: 1, signal: null });
    expect(main.stderr()).toBe('the fixture cannot start: FIXTURE_PORT is not a number\n\n→ Set FIXTURE_PORT to a port, e.g. 8080.\n');
  });

  it('explains any other failure as a MainFailedError', async () => {
    const main = run('crashed');
    expect(await main.exited).toEqual({ code: 1, signal: null });
    expect(main.stderr()).toMatch(/^the fixture did not start: TypeError: cannot read properties of undefined\n\n→ Check its settings/);
  });

  it('stops after start when the signal came during start', async () => {
    const main = run('slow-start');
    await printed(main, /starting/);
    main.child.kill('SIGTERM');
    expect(await main.exited).toEqual({ code: 0, signal: null });
    expect(main.stdout()).toMatch(/listening \S+\nstopped\n$/);
  });

  it('exits 1 with the readable message when stop fails', async () => {
    const main = run('failed-stop');
    await listening(main);
    main.child.kill('SIGTERM');
    expect(await main.exited).toEqual({ code: 1, signal: null });
    expect(main.stderr()).toBe('the fixture could not flush its database\n\n→ Check the disk.\n');
  });

  it('exits at once on a second signal while it stops', async () => {
    const main = run('stuck-stop');
    await listening(main);
    main.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 100));
    main.child.kill('SIGINT');
    expect(await main.exited).toEqual({ code: 130, signal: null });
    expect(main.stderr()).toBe('fixture: SIGINT again, exiting without waiting for the stop to finish\n');
  });
});
