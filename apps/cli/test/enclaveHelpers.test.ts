// The app-side helpers an iApp can use must behave alike: `@confidant/enclave/app` (the package),
// the Python helper (packages/enclave/python/confidant_enclave.py, which `confidant init` copies into
// Python apps) and the template's JavaScript helper (templates/shared/confidant-enclave.js, which it
// copies into JavaScript and TypeScript apps; a hand-written, synchronous, standard-library-only file).
// Every case below runs against the three, as `confidant init` ships them, and each must give the
// expected outcome, so any drift between them fails here. The Python helper's cases of
// packages/enclave/src/app/app.test.ts are among them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as packageHelper from '@confidant/enclave/app';
import { createZipFromObject, type DataObject, writeZip } from '@confidant/protected-data';
import { nodeCrypto } from '@confidant/protected-data/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateBundle } from '../src/commands/publisher/init.run.js';
import type * as TemplateHelper from '../templates/shared/confidant-enclave.js';

type Env = Record<string, string>;
type Mode = 'optimistic' | 'borsh' | 'legacy';
type Computed = { deterministicOutputPath?: string; callbackData?: `0x${string}`; errorMessage?: string };

/** One call of a helper's API, with plain values only (the Python helper gets it as JSON). */
type Operation =
  | { op: 'value'; env: Env; path: string; type: string; mode?: Mode }
  | { op: 'paths'; env: Env }
  | { op: 'bulkValues'; env: Env; path: string; type: string }
  | { op: 'args'; args: string[] }
  | { op: 'inputFiles'; env: Env }
  | { op: 'secrets'; env: Env; index: number }
  | { op: 'writeResult'; env: Env; name: string; content: string }
  | { op: 'writeComputed'; env: Env; computed: Computed; resultFile?: string };

/** What a call gave, in JSON: a value (bigint as { bigint }, bytes as { bytes }) or the error's class name and short message. */
type Outcome = { value: unknown } | { error: { name: string; message: string } };

/** Where a case runs: the task's folders (fresh for each helper and case). */
type Folders = { inDir: string; outDir: string };

type Case = { title: string; call: (folders: Folders) => Operation; expected: (folders: Folders) => Outcome };

const root = mkdtempSync(join(tmpdir(), 'confidant-helpers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// The protected data of the cases: every type of the format (as `protectData` writes it), a second
// record for bulk tasks, and legacy data (DataProtector v0: strings and numbers as text).
const typed: DataObject = {
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
const enc = new TextEncoder();
const files: Record<string, () => Promise<Uint8Array> | Uint8Array> = {
  '0xdataset': () => createZipFromObject(typed, { crypto: nodeCrypto }),
  '0xsecond': () => createZipFromObject({ email: 'bob@example.com' }, { crypto: nodeCrypto }),
  '0xlegacy': () =>
    writeZip([
      { path: 'name', data: enc.encode('Ada') },
      { path: 'age', data: enc.encode('36') },
      { path: 'ok', data: new Uint8Array([1]) },
    ]),
};

const withData = ({ inDir, outDir }: Folders, filename = '0xdataset'): Env => ({
  IEXEC_IN: inDir,
  IEXEC_OUT: outDir,
  IEXEC_DATASET_FILENAME: filename,
});
const value = (path: string, type: string, expected: unknown, mode?: Mode, filename?: string): Case => ({
  title: `reads ${path} as ${type}${mode ? ` in ${mode} mode` : ''}${filename ? ` from ${filename}` : ''}`,
  call: (folders) => ({ op: 'value', env: withData(folders, filename), path, type, ...(mode ? { mode } : {}) }),
  expected: () => ({ value: expected }),
});
const error = (name: string, message: string) => () => ({ error: { name, message } });
const refusal = (path: string, type: string, mode: Mode, filename?: string): Case => ({
  title: `refuses ${path} as ${type} in ${mode} mode${filename ? ` from ${filename}` : ''}`,
  call: (folders) => ({ op: 'value', env: withData(folders, filename), path, type, mode }),
  expected: error('ValueTypeError', `Failed to deserialize "${path}" as "${type}" in "${mode}" mode`),
});
const NOT_IN_TASK = 'is not set: this code expects to run as an iApp inside a task';

const cases: Case[] = [
  // Every kind of value (the Python helper's "reads every kind of value exactly as the JS reader does").
  value('email', 'string', 'alice@example.com'),
  value('unicode', 'string', 'héllo ✓'),
  value('count', 'f64', 42.5),
  value('negative', 'f64', -1.25),
  value('flag', 'bool', true),
  value('off', 'bool', false),
  value('big', 'i128', { bigint: (-(2n ** 100n)).toString() }),
  value('small', 'i128', { bigint: '7' }),
  value('nested.deep.value', 'string', 'inner'),
  value('file', 'image/png', { bytes: [...(typed.file as Uint8Array)] }),
  value('email', 'string', 'alice@example.com', 'borsh'),
  refusal('email', 'bool', 'optimistic'),
  refusal('count', 'i128', 'borsh'),
  refusal('flag', 'f64', 'legacy'),
  {
    title: 'lists the entries of the archive',
    call: (folders) => ({ op: 'paths', env: withData(folders) }),
    expected: () => ({
      value: [
        'big',
        'count',
        'email',
        'file',
        'flag',
        'negative',
        'nested/',
        'nested/deep/',
        'nested/deep/value',
        'off',
        'small',
        'unicode',
      ],
    }),
  },
  // Legacy data (the Python helper's "reads legacy data in legacy and optimistic modes").
  value('name', 'string', 'Ada', undefined, '0xlegacy'),
  value('age', 'number', 36, 'legacy', '0xlegacy'),
  value('age', 'number', 36, undefined, '0xlegacy'),
  value('ok', 'boolean', true, undefined, '0xlegacy'),
  value('name', 'string', 'Ada', 'legacy', '0xlegacy'),
  refusal('age', 'number', 'borsh', '0xlegacy'),
  refusal('ok', 'boolean', 'borsh', '0xlegacy'),
  refusal('name', 'string', 'borsh', '0xlegacy'),
  // Failures in iExec's words, and results (the Python helper's third case).
  {
    title: 'fails with "Failed to load path X"',
    call: (folders) => ({ op: 'value', env: withData(folders), path: 'nope', type: 'string' }),
    expected: error('MissingValueError', 'Failed to load path nope'),
  },
  {
    title: 'fails with "Missing protected data" when the task has none',
    call: ({ inDir }) => ({ op: 'value', env: { IEXEC_IN: inDir }, path: 'email', type: 'string' }),
    expected: error('MissingProtectedDataError', 'Missing protected data'),
  },
  {
    title: 'fails with "Missing protected data" when its file is not there',
    call: (folders) => ({ op: 'paths', env: withData(folders, '0xother') }),
    expected: error('MissingProtectedDataError', 'Missing protected data'),
  },
  {
    title: 'says IEXEC_IN is missing',
    call: () => ({ op: 'paths', env: { IEXEC_DATASET_FILENAME: '0xdataset' } }),
    expected: error('TaskEnvironmentError', `IEXEC_IN ${NOT_IN_TASK}`),
  },
  {
    title: 'writes a result file and computed.json naming it',
    call: (folders) => ({ op: 'writeComputed', env: withData(folders), computed: {}, resultFile: 'result.txt' }),
    expected: ({ outDir }) => ({
      value: {
        result: { path: join(outDir, 'result.txt'), content: 'hi' },
        computed: { 'deterministic-output-path': join(outDir, 'result.txt') },
      },
    }),
  },
  { title: 'gives the arguments', call: () => ({ op: 'args', args: ['x'] }), expected: () => ({ value: ['x'] }) },
  {
    title: 'gives arguments with spaces as they are',
    call: () => ({ op: 'args', args: ['Ada Lovelace', '', '--flag'] }),
    expected: () => ({ value: ['Ada Lovelace', '', '--flag'] }),
  },
  // The rest of the IEXEC_* contract (the cases of @confidant/enclave/app's own tests).
  {
    title: 'gives the input files in order, in IEXEC_INPUT_FILES_FOLDER or else IEXEC_IN',
    call: ({ inDir }) => ({
      op: 'inputFiles',
      env: { IEXEC_IN: inDir, IEXEC_INPUT_FILES_NUMBER: '2', IEXEC_INPUT_FILE_NAME_1: '0xaa', IEXEC_INPUT_FILE_NAME_2: '0xbb' },
    }),
    expected: ({ inDir }) => ({
      value: [
        { index: 1, name: '0xaa', path: join(inDir, '0xaa') },
        { index: 2, name: '0xbb', path: join(inDir, '0xbb') },
      ],
    }),
  },
  {
    title: 'prefers IEXEC_INPUT_FILES_FOLDER',
    call: ({ inDir }) => ({
      op: 'inputFiles',
      env: { IEXEC_IN: inDir, IEXEC_INPUT_FILES_FOLDER: '/files', IEXEC_INPUT_FILES_NUMBER: '1', IEXEC_INPUT_FILE_NAME_1: '0xaa' },
    }),
    expected: () => ({ value: [{ index: 1, name: '0xaa', path: join('/files', '0xaa') }] }),
  },
  {
    title: 'gives no input files when there are none',
    call: () => ({ op: 'inputFiles', env: { IEXEC_INPUT_FILES_NUMBER: '0' } }),
    expected: () => ({ value: [] }),
  },
  {
    title: 'says where input files should be when no folder is set',
    call: () => ({ op: 'inputFiles', env: { IEXEC_INPUT_FILES_NUMBER: '1', IEXEC_INPUT_FILE_NAME_1: '0xaa' } }),
    expected: error('TaskEnvironmentError', `IEXEC_INPUT_FILES_FOLDER ${NOT_IN_TASK}`),
  },
  {
    title: "gives requester secrets by index and the app developer's secret",
    call: () => ({
      op: 'secrets',
      env: { IEXEC_REQUESTER_SECRET_1: 'one', IEXEC_REQUESTER_SECRET_12: 'twelve', IEXEC_APP_DEVELOPER_SECRET: 'dev' },
      index: 12,
    }),
    expected: () => ({ value: { one: 'twelve', missing: null, all: { '1': 'one', '12': 'twelve' }, developer: 'dev' } }),
  },
  {
    title: 'gives no secrets when there are none',
    call: () => ({ op: 'secrets', env: {}, index: 1 }),
    expected: () => ({ value: { one: null, missing: null, all: {}, developer: null } }),
  },
  {
    title: 'reads the protected data of a bulk task, in order',
    call: ({ inDir }) => ({
      op: 'bulkValues',
      env: { IEXEC_IN: inDir, IEXEC_BULK_SLICE_SIZE: '2', IEXEC_DATASET_1_FILENAME: '0xdataset', IEXEC_DATASET_2_FILENAME: '0xsecond' },
      path: 'email',
      type: 'string',
    }),
    expected: () => ({ value: ['alice@example.com', 'bob@example.com'] }),
  },
  {
    title: 'reads no protected data in a task without bulk',
    call: (folders) => ({ op: 'bulkValues', env: withData(folders), path: 'email', type: 'string' }),
    expected: () => ({ value: [] }),
  },
  {
    title: 'refuses a result file name longer than 31 bytes',
    call: (folders) => ({ op: 'writeResult', env: withData(folders), name: 'é'.repeat(16), content: 'no' }),
    expected: error('ResultFileError', `cannot write the result file "${'é'.repeat(16)}": its name is longer than 31 bytes`),
  },
  {
    title: 'refuses a result file in a folder',
    call: (folders) => ({ op: 'writeResult', env: withData(folders), name: '../escape', content: 'no' }),
    expected: error('ResultFileError', 'cannot write the result file "../escape": it must be a plain file name, without folders'),
  },
  {
    title: 'says IEXEC_OUT is missing',
    call: () => ({ op: 'writeResult', env: {}, name: 'r', content: 'no' }),
    expected: error('TaskEnvironmentError', `IEXEC_OUT ${NOT_IN_TASK}`),
  },
  {
    title: 'writes a UTF-8 result file and returns its path',
    call: (folders) => ({ op: 'writeResult', env: withData(folders), name: 'ok-✓.txt', content: 'héllo' }),
    expected: ({ outDir }) => ({ value: { path: join(outDir, 'ok-✓.txt'), content: 'héllo' } }),
  },
  {
    title: 'declares IEXEC_OUT itself as the result by default',
    call: (folders) => ({ op: 'writeComputed', env: withData(folders), computed: {} }),
    expected: ({ outDir }) => ({ value: { computed: { 'deterministic-output-path': outDir } } }),
  },
  {
    title: 'declares callback data',
    call: (folders) => ({ op: 'writeComputed', env: withData(folders), computed: { callbackData: '0x12ab' } }),
    expected: ({ outDir }) => ({ value: { computed: { 'callback-data': '0x12ab', 'deterministic-output-path': outDir } } }),
  },
  {
    title: 'declares an error, and nothing else',
    call: (folders) => ({ op: 'writeComputed', env: withData(folders), computed: { errorMessage: 'bad input', callbackData: '0x12' } }),
    expected: () => ({ value: { computed: { 'error-message': 'bad input' } } }),
  },
];

/** JSON-able: bigints and bytes tagged, Maps as objects, undefined as null. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return { bigint: value.toString() };
  if (value instanceof Uint8Array) return { bytes: [...value] };
  if (value instanceof Map) return Object.fromEntries([...value].map(([key, item]) => [String(key), plain(item)]));
  if (Array.isArray(value)) return value.map(plain);
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  return value;
}

async function outcome(run: () => unknown): Promise<Outcome> {
  try {
    return { value: plain(await run()) };
  } catch (caught) {
    const failure = caught as Error & { shortMessage?: string };
    return { error: { name: failure.name, message: failure.shortMessage ?? failure.message } };
  }
}

const readText = (path: string) => readFile(path, 'utf8');
const readJson = async (path: string): Promise<unknown> => JSON.parse(await readText(path));

/** The API each helper is driven through; the JavaScript ones in this process, Python in one process per run. */
type Helper = { run(operations: Operation[]): Promise<Outcome[]> };

function templateHelper(helper: typeof TemplateHelper): Helper {
  const call = async (operation: Operation): Promise<unknown> => {
    switch (operation.op) {
      case 'value':
        return helper.getValue(operation.path, operation.type, operation.env, operation.mode);
      case 'paths':
        return helper.getProtectedData(operation.env).paths().sort();
      case 'bulkValues':
        return helper.getBulkProtectedData(operation.env).map((data) => data.getValue(operation.path, operation.type));
      case 'args':
        return helper.getArgs(['node', 'app.js', ...operation.args]);
      case 'inputFiles':
        return helper.getInputFiles(operation.env);
      case 'secrets':
        return {
          one: helper.getRequesterSecret(operation.index, operation.env),
          missing: helper.getRequesterSecret(99, operation.env),
          all: helper.getRequesterSecrets(operation.env),
          developer: helper.getAppDeveloperSecret(operation.env),
        };
      case 'writeResult': {
        const path = helper.writeResultFile(operation.name, operation.content, operation.env);
        return { path, content: await readText(path) };
      }
      case 'writeComputed': {
        const result = operation.resultFile === undefined ? undefined : helper.writeResultFile(operation.resultFile, 'hi', operation.env);
        const computed = await readJson(
          helper.writeComputedJson(
            result === undefined ? operation.computed : { ...operation.computed, deterministicOutputPath: result },
            operation.env,
          ),
        );
        return result === undefined ? { computed } : { result: { path: result, content: await readText(result) }, computed };
      }
    }
  };
  return { run: (operations) => Promise.all(operations.map((operation) => outcome(() => call(operation)))) };
}

const fromPackage: Helper = {
  run: (operations) =>
    Promise.all(
      operations.map((operation) =>
        outcome(async () => {
          const env = 'env' in operation ? packageHelper.readTaskEnv(operation.env) : packageHelper.readTaskEnv({});
          switch (operation.op) {
            case 'value':
              return packageHelper.getValue(operation.path, operation.type, { env, ...(operation.mode ? { mode: operation.mode } : {}) });
            case 'paths':
              return (await packageHelper.getProtectedData({ env })).paths().sort();
            case 'bulkValues':
              return Promise.all(
                (await packageHelper.getBulkProtectedData({ env })).map((data) => data.getValue(operation.path, operation.type)),
              );
            case 'args':
              return packageHelper.getArgs(['node', 'app.js', ...operation.args]);
            case 'inputFiles':
              return packageHelper.getInputFiles(env);
            case 'secrets':
              return {
                one: packageHelper.getRequesterSecret(operation.index, env),
                missing: packageHelper.getRequesterSecret(99, env),
                all: packageHelper.getRequesterSecrets(env),
                developer: packageHelper.getAppDeveloperSecret(env),
              };
            case 'writeResult': {
              const path = packageHelper.writeResultFile(operation.name, operation.content, env);
              return { path, content: await readText(path) };
            }
            case 'writeComputed': {
              const result =
                operation.resultFile === undefined ? undefined : packageHelper.writeResultFile(operation.resultFile, 'hi', env);
              const computed = await readJson(
                packageHelper.writeComputedJson(
                  result === undefined ? operation.computed : { ...operation.computed, deterministicOutputPath: result },
                  env,
                ),
              );
              return result === undefined ? { computed } : { result: { path: result, content: await readText(result) }, computed };
            }
          }
        }),
      ),
    ),
};

/** Runs every operation in one Python process (stdlib only, as in an enclave) and reads the outcomes it prints. */
const PYTHON_DRIVER = `
import json, sys
import confidant_enclave as c

def plain(value, ints_are_i128=False):
    if value is None or isinstance(value, (bool, str, float)):
        return value
    if isinstance(value, int):
        return {"bigint": str(value)} if ints_are_i128 else value
    if isinstance(value, (bytes, bytearray)):
        return {"bytes": list(value)}
    if isinstance(value, (list, tuple)):
        return [plain(item, ints_are_i128) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item, ints_are_i128) for key, item in value.items()}
    raise TypeError("unexpected value %r" % (value,))

def read(path):
    with open(path, encoding="utf-8") as file:
        return file.read()

def call(operation):
    kind, env = operation["op"], operation.get("env")
    if kind == "value":
        return c.get_value(operation["path"], operation["type"], mode=operation.get("mode", "optimistic"), environ=env)
    if kind == "paths":
        with c.get_protected_data(environ=env) as data:
            return sorted(data.paths())
    if kind == "bulkValues":
        return [data.get_value(operation["path"], operation["type"]) for data in c.get_bulk_protected_data(environ=env)]
    if kind == "args":
        return c.get_args(["app.py"] + operation["args"])
    if kind == "inputFiles":
        return c.get_input_files(environ=env)
    if kind == "secrets":
        return {"one": c.get_requester_secret(operation["index"], environ=env), "missing": c.get_requester_secret(99, environ=env), "all": c.get_requester_secrets(environ=env), "developer": c.get_app_developer_secret(environ=env)}
    if kind == "writeResult":
        path = c.write_result_file(operation["name"], operation["content"], environ=env)
        return {"path": path, "content": read(path)}
    if kind == "writeComputed":
        computed = operation["computed"]
        result = c.write_result_file(operation["resultFile"], "hi", environ=env) if "resultFile" in operation else None
        path = c.write_computed_json(deterministic_output_path=result or computed.get("deterministicOutputPath"), callback_data=computed.get("callbackData"), error_message=computed.get("errorMessage"), environ=env)
        if result is None:
            return {"computed": json.loads(read(path))}
        return {"result": {"path": result, "content": read(result)}, "computed": json.loads(read(path))}
    raise ValueError(kind)

outcomes = []
for operation in json.load(sys.stdin):
    try:
        # Values read from protected data are ints only as i128 (JavaScript's bigint).
        outcomes.append({"value": plain(call(operation), operation["op"] in ("value", "bulkValues"))})
    except c.ConfidantError as error:
        outcomes.append({"error": {"name": type(error).__name__, "message": error.short_message}})
    except Exception as error:
        outcomes.append({"error": {"name": type(error).__name__, "message": str(error)}})
print(json.dumps(outcomes))
`;

function pythonHelper(folder: string): Helper {
  return {
    async run(operations) {
      const run = spawnSync('python3', ['-c', PYTHON_DRIVER], {
        input: JSON.stringify(operations),
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          PYTHONPATH: folder,
          PYTHONDONTWRITEBYTECODE: '1',
          PYTHONIOENCODING: 'utf-8',
          LANG: 'C.UTF-8',
        },
        encoding: 'utf8',
      });
      if (run.status !== 0) throw new Error(`the Python driver failed: ${run.stderr}`);
      return JSON.parse(run.stdout) as Outcome[];
    },
  };
}

// The helpers exactly as `confidant init` (and `confidant dev`'s demo) put them in an app's bundle.
const shipped = join(root, 'shipped');
beforeAll(async () => {
  mkdirSync(shipped);
  const bundles = { ...(await templateBundle('javascript', 'helpers')), ...(await templateBundle('python', 'helpers')) };
  for (const [name, bytes] of Object.entries(bundles)) writeFileSync(join(shipped, name), bytes);
});

const helpers: { name: string; load(): Promise<Helper> }[] = [
  { name: '@confidant/enclave/app', load: async () => fromPackage },
  {
    name: "the template's JavaScript helper",
    load: async () => templateHelper((await import(pathToFileURL(join(shipped, 'confidant-enclave.js')).href)) as typeof TemplateHelper),
  },
  { name: 'the Python helper', load: async () => pythonHelper(shipped) },
];

/** Fresh task folders for each case (results are written there), holding the protected data files. */
async function folders(helper: number): Promise<Folders[]> {
  const contents = await Promise.all(Object.entries(files).map(async ([name, make]) => [name, await make()] as const));
  return cases.map((_, index) => {
    const inDir = join(root, `helper-${helper}`, `case-${index}`, 'in');
    const outDir = join(root, `helper-${helper}`, `case-${index}`, 'out');
    mkdirSync(inDir, { recursive: true });
    for (const [name, bytes] of contents) writeFileSync(join(inDir, name), bytes);
    return { inDir, outDir };
  });
}

for (const [index, helper] of helpers.entries()) {
  describe(helper.name, () => {
    let where: Folders[] = [];
    let outcomes: Outcome[] = [];
    beforeAll(async () => {
      where = await folders(index);
      outcomes = await (await helper.load()).run(cases.map((testCase, at) => testCase.call(where[at] as Folders)));
    });
    it.each(cases.map((testCase, at) => [testCase.title, at] as const))('%s', (_, at) => {
      expect(outcomes[at]).toEqual(cases[at]?.expected(where[at] as Folders));
    });
  });
}

it("the template's helper declares every export in its .d.ts", async () => {
  const exported = Object.keys(await import(pathToFileURL(join(shipped, 'confidant-enclave.js')).href));
  const declared = (await readFile(new URL('../templates/shared/confidant-enclave.d.ts', import.meta.url), 'utf8'))
    .split('\n')
    .map((line) => /^export declare (?:const|function|class) (\w+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
  expect(declared.sort()).toEqual(exported.sort());
});
