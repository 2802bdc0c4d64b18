import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createReader, createZipFromObject, type DataObject, writeZip } from '@confidant/protected-data';
import { nodeCrypto } from '@confidant/protected-data/node';
import { afterAll, describe, expect, it } from 'vitest';
import { readTaskEnv } from './env.js';
import { getAppDeveloperSecret, getArgs, getInputFiles, getRequesterSecret, getRequesterSecrets } from './inputs.js';
import { getBulkProtectedData, getProtectedData, getValue } from './protectedData.js';
import { writeComputedJson, writeResultFile } from './results.js';

const root = mkdtempSync(join(tmpdir(), 'confidant-app-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const PYTHON_HELPER = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'python');

const data: DataObject = {
  email: 'alice@example.com',
  unicode: 'héllo ✓',
  count: 42.5,
  negative: -1.25,
  flag: true,
  off: false,
  big: -(2n ** 100n),
  small: 7n,
  nested: { deep: { value: 'inner' } },
  file: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
};

async function taskFolder(values: DataObject = data) {
  const inDir = mkdtempSync(join(root, 'in-'));
  const outDir = mkdtempSync(join(root, 'out-'));
  writeFileSync(join(inDir, '0xdataset'), await createZipFromObject(values, { crypto: nodeCrypto }));
  return { inDir, outDir, env: { IEXEC_IN: inDir, IEXEC_OUT: outDir, IEXEC_DATASET_FILENAME: '0xdataset' } as Record<string, string> };
}

describe('app helpers (JS)', () => {
  it('read args, input files, requester and developer secrets from the IEXEC_* contract', () => {
    expect(getArgs(['node', 'app.js', 'a', 'b c'])).toEqual(['a', 'b c']);
    const env = readTaskEnv({
      IEXEC_IN: '/in',
      IEXEC_INPUT_FILES_NUMBER: '2',
      IEXEC_INPUT_FILE_NAME_1: '0xaa',
      IEXEC_INPUT_FILE_NAME_2: '0xbb',
      IEXEC_REQUESTER_SECRET_1: 'one',
      IEXEC_REQUESTER_SECRET_12: 'twelve',
      IEXEC_APP_DEVELOPER_SECRET: 'dev',
    });
    expect(getInputFiles(env)).toEqual([
      { index: 1, name: '0xaa', path: '/in/0xaa' },
      { index: 2, name: '0xbb', path: '/in/0xbb' },
    ]);
    expect(getRequesterSecret(12, env)).toBe('twelve');
    expect(getRequesterSecret(2, env)).toBeUndefined();
    expect([...getRequesterSecrets(env).keys()].sort()).toEqual([1, 12]);
    expect(getAppDeveloperSecret(env)).toBe('dev');
  });

  it('reads protected data lazily with the deserializer semantics, and fails as iExec does', async () => {
    const { env } = await taskFolder();
    const taskEnv = readTaskEnv(env);
    expect(await getValue('email', 'string', { env: taskEnv })).toBe('alice@example.com');
    expect(await getValue('nested.deep.value', 'string', { env: taskEnv })).toBe('inner');
    expect(await getValue('big', 'i128', { env: taskEnv })).toBe(-(2n ** 100n));
    expect(await getValue('file', 'image/png', { env: taskEnv })).toBeInstanceOf(Uint8Array);
    await expect(getValue('nope', 'string', { env: taskEnv })).rejects.toThrow('Failed to load path nope');
    await expect(getProtectedData({ env: readTaskEnv({ IEXEC_IN: '/in' }) })).rejects.toThrow(/^Missing protected data/);
    await expect(getProtectedData({ env: readTaskEnv({ ...env, IEXEC_DATASET_FILENAME: '0xother' }) })).rejects.toThrow(
      /^Missing protected data/,
    );
  });

  it('reads the protected data of a bulk task', async () => {
    const { inDir } = await taskFolder();
    writeFileSync(join(inDir, '0xsecond'), await createZipFromObject({ email: 'bob@example.com' }, { crypto: nodeCrypto }));
    const readers = await getBulkProtectedData({
      env: readTaskEnv({
        IEXEC_IN: inDir,
        IEXEC_BULK_SLICE_SIZE: '2',
        IEXEC_DATASET_1_FILENAME: '0xdataset',
        IEXEC_DATASET_2_FILENAME: '0xsecond',
      }),
    });
    expect(await Promise.all(readers.map((reader) => reader.getValue('email', 'string')))).toEqual([
      'alice@example.com',
      'bob@example.com',
    ]);
  });

  it('writes result files and computed.json, refusing names post-compute would refuse', async () => {
    const { outDir, env } = await taskFolder();
    const taskEnv = readTaskEnv(env);
    const path = writeResultFile('result.txt', 'ok', taskEnv);
    writeComputedJson({ deterministicOutputPath: path }, taskEnv);
    expect(JSON.parse(readFileSync(join(outDir, 'computed.json'), 'utf8'))).toEqual({ 'deterministic-output-path': path });
    writeComputedJson({ errorMessage: 'bad input' }, taskEnv);
    expect(JSON.parse(readFileSync(join(outDir, 'computed.json'), 'utf8'))).toEqual({ 'error-message': 'bad input' });
    expect(() => writeResultFile('x'.repeat(32), 'no', taskEnv)).toThrow('longer than 31 bytes');
    expect(() => writeResultFile('../escape', 'no', taskEnv)).toThrow('without folders');
    expect(() => writeResultFile('r', 'no', readTaskEnv({}))).toThrow('IEXEC_OUT is not set');
  });
});

function python(script: string, env: Record<string, string>) {
  const run = spawnSync('python3', ['-c', script], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PYTHONPATH: PYTHON_HELPER, PYTHONDONTWRITEBYTECODE: '1', ...env },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

describe('app helpers (Python, stdlib only)', () => {
  it('reads every kind of value exactly as the JS reader does', async () => {
    const { env, inDir } = await taskFolder();
    const reader = createReader(readFileSync(join(inDir, '0xdataset')));
    const asks: [string, string][] = [
      ['email', 'string'],
      ['unicode', 'string'],
      ['count', 'f64'],
      ['negative', 'f64'],
      ['flag', 'bool'],
      ['off', 'bool'],
      ['big', 'i128'],
      ['small', 'i128'],
      ['nested.deep.value', 'string'],
      ['file', 'image/png'],
    ];
    const script = `
import json, confidant_enclave as c
data = c.get_protected_data()
out = []
for path, type_ in ${JSON.stringify(asks)}:
    value = data.get_value(path, type_)
    out.append(str(value) if isinstance(value, int) and not isinstance(value, bool) else list(value) if isinstance(value, bytes) else value)
print(json.dumps(out))`;
    const fromPython = JSON.parse(python(script, env));
    const fromJs = asks.map(([path, type]) => {
      const value: unknown = reader.getValue(path, type);
      return typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? [...value] : value;
    });
    expect(fromPython).toEqual(fromJs);
  });

  it('reads legacy data (strings and numbers as text) in legacy and optimistic modes', () => {
    const inDir = mkdtempSync(join(root, 'legacy-'));
    const enc = new TextEncoder();
    writeFileSync(
      join(inDir, '0xlegacy'),
      writeZip([
        { path: 'name', data: enc.encode('Ada') },
        { path: 'age', data: enc.encode('36') },
        { path: 'ok', data: new Uint8Array([1]) },
      ]),
    );
    const env = { IEXEC_IN: inDir, IEXEC_DATASET_FILENAME: '0xlegacy' };
    const out = python(
      `
import json, confidant_enclave as c
print(json.dumps([c.get_value("name", "string"), c.get_value("age", "number", mode="legacy"), c.get_value("ok", "boolean"), c.get_value("name", "string", mode="legacy")]))`,
      env,
    );
    expect(JSON.parse(out)).toEqual(['Ada', 36, true, 'Ada']);
    const refused = python(
      `
import confidant_enclave as c
try:
    c.get_value("age", "number", mode="borsh")
except c.ValueTypeError as e:
    print(e.short_message)`,
      env,
    );
    expect(refused.trim()).toBe('Failed to deserialize "age" as "number" in "borsh" mode');
  });

  it('fails with "Missing protected data" and "Failed to load path X", and writes results', async () => {
    const { env, outDir } = await taskFolder();
    const out = python(
      `
import confidant_enclave as c
try:
    c.get_value("nope", "string")
except c.MissingValueError as e:
    print(e.short_message)
import os
del os.environ["IEXEC_DATASET_FILENAME"]
try:
    c.get_protected_data()
except c.MissingProtectedDataError as e:
    print(e.short_message)
path = c.write_result_file("result.txt", "hi")
c.write_computed_json(path)
print(c.get_args(["app.py", "x"]))`,
      env,
    );
    expect(out.trim().split('\n')).toEqual(['Failed to load path nope', 'Missing protected data', "['x']"]);
    expect(JSON.parse(readFileSync(join(outDir, 'computed.json'), 'utf8'))).toEqual({
      'deterministic-output-path': join(outDir, 'result.txt'),
    });
  });
});
