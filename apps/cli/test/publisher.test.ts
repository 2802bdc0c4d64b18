import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openArchiveFile } from '@confidant/protected-data/node';
import { describe, expect, it } from 'vitest';
import { CLI, cli, json, tempDir } from './publisher.support.js';

const home = tempDir('home');

describe('confidant init + test', () => {
  for (const template of ['javascript', 'typescript', 'python'] as const) {
    it(`scaffolds a ${template} iApp that runs on its mock protected data`, async () => {
      const root = tempDir(`init-${template}`);
      const init = await cli(['init', 'hello', '--yes', '--template', template, '--json'], { cwd: root, home });
      expect(init.code, init.stderr).toBe(0);
      const dir = join(root, 'hello');
      const config = JSON.parse(readFileSync(join(dir, 'confidant.json'), 'utf8'));
      expect(config).toMatchObject({
        name: 'hello',
        template,
        runtime: template === 'python' ? 'python' : 'node',
        protectedData: 'mock/protected-data',
      });
      for (const file of [
        'Dockerfile',
        'README.md',
        '.gitignore',
        'mock/protected-data/protected-data.zip',
        'mock/protected-data/schema.json',
        `src/${config.entrypoint}`,
      ])
        expect(existsSync(join(dir, file)), file).toBe(true);
      expect(existsSync(join(dir, template === 'python' ? 'src/confidant_enclave.py' : 'src/confidant-enclave.js'))).toBe(true);
      expect(existsSync(join(dir, template === 'python' ? 'test/test_app.py' : 'test/app.test.js'))).toBe(true);

      const human = await cli(['test'], { cwd: dir, home });
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toContain('Hello, Alice!');
      expect(human.stdout).toContain('./output/');
      expect(readFileSync(join(dir, 'output', 'result.txt'), 'utf8')).toMatch(/^Hello, Alice!/);

      const run = await cli(
        ['test', '--json', '--protected-data', 'none', '--args', 'Bob', '--requester-secret', '1=abc', '--input-file', 'README.md'],
        { cwd: dir, home },
      );
      expect(run.code, run.stderr).toBe(0);
      const result = json<{ files: { path: string }[]; resultDigest: string; measurement: string; inputFiles: { name: string }[] }>(run);
      expect(result.files.map((f) => f.path).sort()).toEqual(['computed.json', 'result.txt']);
      expect(result.resultDigest).toMatch(/^0x[0-9a-f]{64}$/);
      expect(result.measurement).toMatch(/^0x[0-9a-f]{64}$/);
      expect(result.inputFiles[0]?.name).toMatch(/^0x[0-9a-f]{64}$/);
      const text = readFileSync(join(dir, 'output', 'result.txt'), 'utf8');
      expect(text).toContain('Hello, Bob!');
      expect(text).toContain('input file 1 has');
      expect(text).toContain('requester secret 1 has 3 characters');
    });
  }

  it('fails a crashing app with exit code 5, its cause and its last stderr lines', async () => {
    const root = tempDir('crash');
    expect((await cli(['init', 'crash', '--yes', '--no-protected-data'], { cwd: root, home })).code).toBe(0);
    const dir = join(root, 'crash');
    writeFileSync(join(dir, 'src', 'app.js'), "console.error('loading the model');\nthrow new Error('the model file is missing');\n");
    const run = await cli(['test'], { cwd: dir, home });
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('the app failed: the app exited with code 1');
    expect(run.stderr).toContain('the model file is missing');
    expect(run.stderr).toContain('→ Fix the app');

    writeFileSync(join(dir, 'src', 'app.js'), "console.log('forgot computed.json');\n");
    const refused = await cli(['test', '--json'], { cwd: dir, home });
    expect(refused.code).toBe(5);
    expect(json<{ error: { message: string; hints: string[] } }>(refused).error.message).toContain('computed.json');
  });

  it('says what to do outside an iApp folder', async () => {
    const run = await cli(['test'], { cwd: tempDir('empty'), home });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('confidant init');
  });
});

describe('confidant mock protected-data', () => {
  it('writes an unencrypted protected data archive and its schema', async () => {
    const dir = tempDir('mock');
    writeFileSync(join(dir, 'photo.bin'), Buffer.from([1, 2, 3]));
    const run = await cli(
      [
        'mock',
        'protected-data',
        '--json',
        '--data',
        '{"email":"bob@example.com","age":42,"nested":{"ok":true}}',
        '--file',
        'nested.photo=photo.bin',
        '--out',
        'mock/bob',
      ],
      { cwd: dir, home },
    );
    expect(run.code, run.stderr).toBe(0);
    const schema = JSON.parse(readFileSync(join(dir, 'mock/bob/schema.json'), 'utf8'));
    expect(schema).toEqual({ email: 'string', age: 'f64', nested: { ok: 'bool', photo: 'application/octet-stream' } });
    const archive = await openArchiveFile(join(dir, 'mock/bob/protected-data.zip'));
    expect(await archive.getValue('email', 'string')).toBe('bob@example.com');
    expect(await archive.getValue('age', 'f64')).toBe(42);
    expect(await archive.getValue('nested.ok', 'bool')).toBe(true);

    const bad = await cli(['mock', 'protected-data', '--data', '[1]'], { cwd: dir, home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('JSON object');
  });
});

describe('confidant deploy on a public network', () => {
  it('says plainly that Docker is missing', async () => {
    const root = tempDir('public');
    expect((await cli(['init', 'pub', '--yes'], { cwd: root, home })).code).toBe(0);
    // A Docker client that reaches no engine, whatever this machine has.
    const run = await cli(['deploy', '--network', 'arbitrum-sepolia-testnet'], {
      cwd: join(root, 'pub'),
      home,
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock', CONFIDANT_PRIVATE_KEY: `0x${'1'.repeat(64)}` },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /cannot deploy to arbitrum-sepolia-testnet: the (Docker engine does not answer|`docker` command is not installed)/,
    );
    expect(run.stderr).toContain('install Docker');
    expect(run.stderr).toContain('confidant dev');
  });
});

describe('confidant init, interactive', () => {
  it('asks the name, the language and whether the app uses protected data', async () => {
    const root = tempDir('pty');
    // util-linux `script` gives the CLI a terminal; the answers go to its input.
    const child = spawn('script', ['-qfec', `${process.execPath} ${CLI} init`, '/dev/null'], {
      cwd: root,
      env: { ...process.env, CONFIDANT_HOME: home, TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    const waitFor = async (text: string) => {
      const until = Date.now() + 20_000;
      while (!screen.includes(text)) {
        if (Date.now() > until) throw new Error(`no "${text}" on the terminal:\n${screen}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitFor('Name of the iApp');
    child.stdin.write('pty-app\r'); // typing replaces the default
    await waitFor('Language');
    child.stdin.write('\u001b[B\u001b[B'); // down twice: python
    await new Promise((r) => setTimeout(r, 200));
    child.stdin.write('\r');
    await waitFor('protected data');
    child.stdin.write('n\r');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, screen).toBe(0);
    const dir = join(root, 'pty-app');
    expect(JSON.parse(readFileSync(join(dir, 'confidant.json'), 'utf8'))).toMatchObject({
      name: 'pty-app',
      template: 'python',
      protectedData: null,
    });
    expect(existsSync(join(dir, 'src', 'app.py'))).toBe(true);
    expect(existsSync(join(dir, 'mock'))).toBe(false);
  });
});
