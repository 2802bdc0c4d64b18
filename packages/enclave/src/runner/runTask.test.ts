import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recoverEnclaveResultSigner } from '@confidant/contracts';
import { buildImage, type ImageFile } from '@confidant/oci';
import { cidToMultiaddr, collect, decryptResult, protect } from '@confidant/protected-data';
import { nodeCrypto } from '@confidant/protected-data/node';
import JSZip from 'jszip';
import { type Hex, hexToString, keccak256 } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createQuoteVerifier, createSimulatedPlatform, type Quote } from '../attestation.js';
import { sealToEnclave } from '../seal.js';
import { installAppHelpers } from '../test-support/appHelpers.js';
import { type StoredAppImage, storeAppImage, storedBlob, storeImage } from '../test-support/appImages.js';
import { startTestStorage, type TestStorage } from '../test-support/storage.js';
import type { RunTaskOptions, TaskContext } from './options.js';
import { runTask } from './runTask.js';
import type { AppDeclaration } from './sandbox.js';
import type { TaskSecrets } from './secrets.js';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON_HELPER = join(here, '..', '..', 'python', 'confidant_enclave.py');
const taskId = `0x${'a1'.repeat(32)}` as Hex;
const dealId = `0x${'d1'.repeat(32)}` as Hex;
const worker = '0x000000000000000000000000000000000000dEaD';
const datasetAddress = '0x1111111111111111111111111111111111111111';

let storage: TestStorage;
let root: string;
const platform = createSimulatedPlatform(generatePrivateKey());
const verifier = createQuoteVerifier({ trustedSimulationRoots: [platform.root] });

beforeAll(async () => {
  storage = await startTestStorage();
  root = mkdtempSync(join(tmpdir(), 'confidant-runner-'));
});
afterAll(async () => {
  await storage.close();
  rmSync(root, { recursive: true, force: true });
});

/** A folder holding the files, for an app whose helpers are then installed next to it. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'app-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const node = (entrypoint = 'src/app.js'): AppDeclaration => ({ runtime: 'node', entrypoint });
const python = (entrypoint = 'app.py'): AppDeclaration => ({ runtime: 'python', entrypoint });

/** The app's image (files under /app), built and stored in a store of its own, as a worker pulls it. */
const image = (app: Record<string, ImageFile> | string, declaration: AppDeclaration = node('app.js')) =>
  storeAppImage(root, app, declaration);

/** The app as a task names it: the image in the worker's store, by digest; and its registered checksum when given. */
const appOf = (stored: StoredAppImage, expectedMeasurement?: Hex): TaskContext['app'] => ({
  image: { storeDir: stored.storeDir, digest: stored.digest },
  expectedMeasurement,
});

async function protectedData(data: Record<string, string>) {
  const protectedStream = await protect(data, { crypto: nodeCrypto });
  const encrypted = await collect(protectedStream.chunks);
  const checksum = await protectedStream.checksum;
  const cid = storage.put(encrypted);
  return {
    key: protectedStream.key,
    checksum,
    cid,
    dataset: { address: datasetAddress, location: cidToMultiaddr(cid), checksum },
  } as const;
}

/** The test plays the SMS: it verifies the quote, checks what it binds, and seals the secrets to it. */
function sms(secrets: Partial<TaskSecrets>, expectMeasurement?: Hex) {
  return vi.fn(async (quote: Quote, enclave: { enclaveChallenge: Hex; encryptionPublicKey: Hex }) => {
    const verified = await verifier.verify(quote, { taskId, enclaveAddress: enclave.enclaveChallenge });
    if (expectMeasurement) expect(verified.measurement).toBe(expectMeasurement);
    expect(verified.nonce).toBe(`0x${'77'.repeat(32)}`);
    return sealToEnclave(verified.encryptionPublicKey, JSON.stringify({ requesterSecrets: {}, ...secrets }), taskId);
  });
}

function options(
  task: Partial<TaskContext> & Pick<TaskContext, 'app'>,
  requestSecrets: RunTaskOptions['requestSecrets'],
  extra: Partial<RunTaskOptions> = {},
): RunTaskOptions {
  return {
    task: { taskId, dealId, maxTimeSeconds: 20, ...task },
    worker,
    platform,
    requestSecrets,
    nonce: `0x${'77'.repeat(32)}`,
    storage,
    workDir: join(root, 'work'),
    memoryLimitMiB: 256,
    ...extra,
  };
}

async function resultZip(location: string): Promise<JSZip> {
  return JSZip.loadAsync(storage.blobs.get(location.replace('/ipfs/', '')) as Uint8Array);
}

const HELLO_JS = `
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
const env = process.env;
const args = process.argv.slice(2);
const input = readFileSync(join(env.IEXEC_INPUT_FILES_FOLDER, env.IEXEC_INPUT_FILE_NAME_1), 'utf8');
const datasetSize = statSync(join(env.IEXEC_IN, env.IEXEC_DATASET_FILENAME)).size;
writeFileSync(join(env.IEXEC_OUT, 'result.txt'), 'Hello, ' + args.join('|') + '!');
writeFileSync(join(env.IEXEC_OUT, 'seen.json'), JSON.stringify({ keys: Object.keys(env).sort(), input, datasetSize, secret: env.IEXEC_REQUESTER_SECRET_1, dev: env.IEXEC_APP_DEVELOPER_SECRET, cwd: process.cwd() }));
writeFileSync(join(env.IEXEC_OUT, 'computed.json'), JSON.stringify({ 'deterministic-output-path': join(env.IEXEC_OUT, 'result.txt') }));
console.log('hello from the app');
`;

describe('runTask', () => {
  it('runs a JS app image end to end: protected data, args, input file, secrets, clean env, signed result', async () => {
    process.env.CONFIDANT_CANARY = 'the app must not see this';
    const data = await protectedData({ email: 'alice@example.com' });
    const inputUrl = `${storage.gatewayUrl}/ipfs/${storage.put(new TextEncoder().encode('input file content'))}`;
    const stored = await image({ 'src/app.js': HELLO_JS, 'package.json': '{"type":"module"}' }, node());
    const requestSecrets = sms(
      { datasetKey: data.key, requesterSecrets: { '1': 'requester-secret' }, appDeveloperSecret: 'dev-secret' },
      stored.measurement,
    );
    const lines: string[] = [];
    const outcome = await runTask(
      options(
        {
          app: appOf(stored, stored.measurement),
          args: `Ada\\ Lovelace "two words" 'x'`,
          inputFiles: [inputUrl],
          dataset: data.dataset,
        },
        requestSecrets,
        {
          logger: (entry) => lines.push(`${entry.phase} ${entry.message}`),
        },
      ),
    );
    delete process.env.CONFIDANT_CANARY;
    if (outcome.status !== 'completed') throw outcome.error;
    expect(requestSecrets).toHaveBeenCalledOnce();
    // The measurement is the image's manifest digest, as the on-chain checksum names it.
    expect(outcome.measurement).toBe(`0x${stored.digest.slice('sha256:'.length)}`);
    expect(lines).toContain(`pre-compute app image ${stored.digest} verified (2 files)`);
    expect(outcome.resultLocation).toMatch(/^\/ipfs\/Qm/);
    expect(JSON.parse(hexToString(outcome.contribution.results))).toEqual({ storage: 'ipfs', location: outcome.resultLocation });
    expect(outcome.contribution.resultsCallback).toBe('0x');
    const zip = await resultZip(outcome.resultLocation);
    const result = await zip.file('result.txt')?.async('string');
    expect(result).toBe('Hello, Ada Lovelace|two words|x!');
    expect(outcome.contribution.resultDigest).toBe(
      `0x${createHash('sha256')
        .update(result as string)
        .digest('hex')}`,
    );
    expect(
      await recoverEnclaveResultSigner(
        { worker, taskId, resultDigest: outcome.contribution.resultDigest },
        outcome.contribution.enclaveSign,
      ),
    ).toBe(outcome.contribution.enclaveChallenge);
    const seen = JSON.parse((await zip.file('seen.json')?.async('string')) as string);
    expect(seen.input).toBe('input file content');
    expect(seen.secret).toBe('requester-secret');
    expect(seen.dev).toBe('dev-secret');
    expect(seen.datasetSize).toBeGreaterThan(0);
    // The image's WorkingDir (/app), under the task's folder of the unpacked image.
    expect(seen.cwd).toMatch(/\/app\/app$/);
    expect(seen.keys).not.toContain('CONFIDANT_CANARY');
    const allowed = /^(IEXEC_[A-Z0-9_]+|PATH|HOME|TMPDIR|LANG|PYTHON[A-Z]+)$/;
    expect(seen.keys.filter((key: string) => !allowed.test(key))).toEqual([]);
    expect(seen.keys).toEqual(
      expect.arrayContaining([
        'IEXEC_IN',
        'IEXEC_OUT',
        'IEXEC_TASK_ID',
        'IEXEC_DEAL_ID',
        'IEXEC_DATASET_FILENAME',
        'IEXEC_INPUT_FILE_NAME_1',
        'IEXEC_INPUT_FILES_NUMBER',
        'IEXEC_BULK_SLICE_SIZE',
      ]),
    );
    expect(outcome.logs).toContain('[out] hello from the app');
    expect(lines).toContain('app hello from the app');
    expect(lines.join('\n')).not.toContain(data.key);
    // Nothing of the task is left on disk.
    expect(readdirSync(join(root, 'work'))).toEqual([]);
  });

  it("runs an image as its config says: its WorkingDir, its Entrypoint's args before the task's (which replace Cmd's, as docker run does), its Env under the task's", async () => {
    const built = await buildImage({
      files: {
        'bin/main.js': `const fs = require('fs'); const p = require('path'); const out = process.env.IEXEC_OUT; fs.writeFileSync(p.join(out, 'seen.json'), JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd(), data: fs.readFileSync('data/input.txt', 'utf8'), greeting: process.env.GREETING, path: process.env.PATH, task: process.env.IEXEC_TASK_ID })); fs.writeFileSync(p.join(out, 'computed.json'), JSON.stringify({ 'deterministic-output-path': '/iexec_out/seen.json' }));`,
        'data/input.txt': 'shipped in the image',
      },
      workingDir: '/srv/app',
      entrypoint: ['/usr/local/bin/node', 'bin/main.js', '--fixed'],
      cmd: ['from-cmd'],
      env: { GREETING: 'hello from the image', PATH: '/image/bin', IEXEC_TASK_ID: 'spoofed by the image' },
    });
    const stored = await storeImage(root, built);
    const outcome = await runTask(
      options({ app: appOf(stored, stored.measurement), args: `task-arg "two words"` }, sms({}, stored.measurement)),
    );
    if (outcome.status !== 'completed') throw outcome.error;
    expect(outcome.measurement).toBe(stored.measurement);
    const seen = JSON.parse((await (await resultZip(outcome.resultLocation)).file('seen.json')?.async('string')) as string);
    expect(seen.args).toEqual(['--fixed', 'task-arg', 'two words']);
    expect(seen.cwd).toMatch(/\/app\/srv\/app$/);
    expect(seen.data).toBe('shipped in the image');
    expect(seen.greeting).toBe('hello from the image');
    expect(seen.path).not.toContain('/image/bin');
    expect(seen.task).toBe(taskId);
  });

  it('names an input file 0x + sha256(url), as iExec pre-compute does', async () => {
    const url = `${storage.gatewayUrl}/ipfs/${storage.put(new TextEncoder().encode('abc'))}`;
    const stored = await image({
      'app.js': `const fs = require('fs'); const p = require('path'); fs.writeFileSync(p.join(process.env.IEXEC_OUT, 'name'), process.env.IEXEC_INPUT_FILE_NAME_1 + ' ' + fs.readdirSync(process.env.IEXEC_IN).join(',')); fs.writeFileSync(p.join(process.env.IEXEC_OUT, 'computed.json'), JSON.stringify({ 'deterministic-output-path': '/iexec_out/name' }));`,
    });
    const outcome = await runTask(options({ app: appOf(stored), inputFiles: [url] }, sms({})));
    if (outcome.status !== 'completed') throw outcome.error;
    const expected = `0x${createHash('sha256').update(url).digest('hex')}`;
    expect(await (await resultZip(outcome.resultLocation)).file('name')?.async('string')).toBe(`${expected} ${expected}`);
  });

  it('runs a Python app that reads the email field with the Python helper and counts its characters', async () => {
    const data = await protectedData({ email: 'alice@example.com' });
    const stored = await image(
      {
        'app.py': [
          'import confidant_enclave as c',
          'email = c.get_value("email", "string")',
          'path = c.write_result_file("result.txt", str(len(email)))',
          'print("counted", flush=True)',
          'c.write_computed_json(path)',
        ].join('\n'),
        'confidant_enclave.py': readFileSync(PYTHON_HELPER, 'utf8'),
      },
      python(),
    );
    const outcome = await runTask(options({ app: appOf(stored), dataset: data.dataset }, sms({ datasetKey: data.key })));
    if (outcome.status !== 'completed') throw outcome.error;
    expect(await (await resultZip(outcome.resultLocation)).file('result.txt')?.async('string')).toBe('17');
    expect(outcome.logs).toContain('[out] counted');
  });

  it('runs a JS app that reads the email field with @confidant/enclave/app, installed as plain JS', async () => {
    const data = await protectedData({ email: 'alice@example.com' });
    const dir = folder({
      'package.json': '{"type":"module"}',
      'src/app.js': [
        "import { getValue, writeResultFile, writeComputedJson, getArgs } from '@confidant/enclave/app';",
        "const email = await getValue('email', 'string');",
        "writeComputedJson({ deterministicOutputPath: writeResultFile('result.txt', `${getArgs()[0]}: ${email.length}`) });",
      ].join('\n'),
    });
    installAppHelpers(dir);
    const stored = await image(dir, node());
    const outcome = await runTask(options({ app: appOf(stored), args: 'chars', dataset: data.dataset }, sms({ datasetKey: data.key })));
    if (outcome.status !== 'completed') throw outcome.error;
    expect(await (await resultZip(outcome.resultLocation)).file('result.txt')?.async('string')).toBe('chars: 17');
  });

  it('runs a bulk task: each protected data with its own key; and a callback result', async () => {
    const first = await protectedData({ email: 'a@b.c' });
    const second = await protectedData({ email: 'bob@example.com' });
    const secondAddress = '0x2222222222222222222222222222222222222222';
    const stored = await image(
      {
        'app.py': [
          'import confidant_enclave as c',
          'total = sum(len(d.get_value("email", "string")) for d in c.get_bulk_protected_data())',
          'c.write_computed_json(callback_data="0x" + total.to_bytes(32, "big").hex())',
        ].join('\n'),
        'confidant_enclave.py': readFileSync(PYTHON_HELPER, 'utf8'),
      },
      python(),
    );
    const outcome = await runTask(
      options(
        { app: appOf(stored), bulkDatasets: [first.dataset, { ...second.dataset, address: secondAddress }] },
        sms({ bulkDatasetKeys: { [datasetAddress]: first.key, [secondAddress]: second.key } }),
      ),
    );
    if (outcome.status !== 'completed') throw outcome.error;
    const callback = `0x${(5 + 15).toString(16).padStart(64, '0')}` as Hex;
    expect(outcome.contribution.resultsCallback).toBe(callback);
    expect(outcome.contribution.resultDigest).toBe(keccak256(callback));
  });

  it('a Python app without protected data gets "Missing protected data"', async () => {
    const stored = await image(
      {
        'app.py': 'import confidant_enclave as c\nc.get_value("email", "string")\n',
        'confidant_enclave.py': readFileSync(PYTHON_HELPER, 'utf8'),
      },
      python(),
    );
    const outcome = await runTask(options({ app: appOf(stored) }, sms({})));
    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') expect(outcome.cause).toContain('MissingProtectedDataError: Missing protected data');
  });

  it('a failing app (exit 3) ends with its exit code and the last lines of stderr', async () => {
    const stored = await image({ 'app.js': `console.error('something went wrong: no input'); process.exit(3);` });
    const outcome = await runTask(options({ app: appOf(stored) }, sms({})));
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.phase).toBe('app');
    expect(outcome.cause).toContain('the app exited with code 3');
    expect(outcome.cause).toContain('something went wrong: no input');
    expect(outcome.exit?.exitCode).toBe(3);
  });

  it('an app that loops forever is killed at its time limit, with its children', async () => {
    const pidFile = join(root, 'grandchild.pid');
    const stored = await image({
      'app.js': `const child = require('child_process').spawn('sleep', ['600'], { stdio: 'inherit' }); require('fs').writeFileSync(process.argv[2], String(child.pid)); for (;;) {}`,
    });
    const started = Date.now();
    const outcome = await runTask(options({ app: appOf(stored), args: pidFile, maxTimeSeconds: 2 }, sms({})));
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Gone, or a zombie waiting for init to reap it.
    const state = existsSync(`/proc/${grandchild}/stat`) ? readFileSync(`/proc/${grandchild}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone';
    expect(['gone', 'Z', 'X']).toContain(state);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.cause).toBe('the app ran past its time limit of 2 s and was killed');
    expect(outcome.exit?.timedOut).toBe(true);
  });

  it('a Python app is held to its memory limit', async () => {
    const stored = await image({ 'app.py': 'data = bytearray(512 * 1024 * 1024)\nprint(len(data))\n' }, python());
    const outcome = await runTask(options({ app: appOf(stored) }, sms({}), { memoryLimitMiB: 128 }));
    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') expect(outcome.cause).toMatch(/^the app ran out of memory \(its limit is 128 MiB\)[\s\S]*MemoryError/);
  });

  it('a node app is held to its heap limit', async () => {
    const stored = await image({ 'app.js': `const a = []; for (;;) a.push({ x: Math.random(), y: 'a'.repeat(10) + Math.random() });` });
    const outcome = await runTask(options({ app: appOf(stored) }, sms({}), { memoryLimitMiB: 64 }));
    expect(outcome.status === 'failed' && outcome.cause).toMatch(/^the app ran out of memory \(its limit is 64 MiB\)/);
  });

  it('refuses an output over 50 MiB', async () => {
    const stored = await image({
      'app.js': `const fs = require('fs'); const p = require('path'); fs.writeFileSync(p.join(process.env.IEXEC_OUT, 'big.bin'), Buffer.alloc(51 * 1024 * 1024)); fs.writeFileSync(p.join(process.env.IEXEC_OUT, 'computed.json'), JSON.stringify({ 'deterministic-output-path': '/iexec_out/big.bin' }));`,
    });
    const outcome = await runTask(options({ app: appOf(stored) }, sms({})));
    expect(outcome.status === 'failed' && outcome.phase === 'post-compute' && outcome.cause).toBe(
      'the result is refused: the output is larger than 50 MiB',
    );
  });

  it('refuses a missing computed.json, a result outside IEXEC_OUT, a file name over 31 characters', async () => {
    const write = async (body: string) =>
      appOf(
        await image({
          'app.js': `const fs = require('fs'); const p = require('path'); const out = process.env.IEXEC_OUT; fs.writeFileSync(p.join(out, 'r.txt'), 'x'); ${body}`,
        }),
      );
    const missing = await runTask(options({ app: await write('') }, sms({})));
    expect(missing.status === 'failed' && missing.cause).toBe('the result is refused: the app wrote no computed.json in IEXEC_OUT');
    // The app's own script: a file of the unpacked image, outside IEXEC_OUT.
    const outside = await runTask(
      options(
        {
          app: await write(`fs.writeFileSync(p.join(out, 'computed.json'), JSON.stringify({ 'deterministic-output-path': __filename }));`),
        },
        sms({}),
      ),
    );
    expect(outside.status === 'failed' && outside.cause).toMatch(/which is outside IEXEC_OUT$/);
    const long = await runTask(
      options(
        {
          app: await write(
            `fs.writeFileSync(p.join(out, '${'n'.repeat(32)}'), 'x'); fs.writeFileSync(p.join(out, 'computed.json'), '{"deterministic-output-path":"/iexec_out/r.txt"}');`,
          ),
        },
        sms({}),
      ),
    );
    expect(long.status === 'failed' && long.cause).toBe(
      `the result is refused: the result file name "${'n'.repeat(32)}" is longer than 31 bytes`,
    );
  });

  it('reports an error-message of computed.json as the failure cause', async () => {
    const stored = await image({
      'app.js': `require('fs').writeFileSync(process.env.IEXEC_OUT + '/computed.json', JSON.stringify({ 'error-message': 'the input has no header' }));`,
    });
    const outcome = await runTask(options({ app: appOf(stored) }, sms({})));
    expect(outcome.status === 'failed' && outcome.cause).toBe('the app reported an error: the input has no header');
  });

  it('refuses a protected data whose checksum does not match, before the app runs', async () => {
    const data = await protectedData({ email: 'alice@example.com' });
    const marker = join(root, 'ran-marker');
    const stored = await image({ 'app.js': `require('fs').writeFileSync(process.argv[2], 'ran');` });
    const outcome = await runTask(
      options(
        { app: appOf(stored), args: marker, dataset: { ...data.dataset, checksum: `0x${'00'.repeat(32)}` } },
        sms({ datasetKey: data.key }),
      ),
    );
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.phase).toBe('pre-compute');
    expect(outcome.cause).toContain(`the protected data ${datasetAddress} does not match its on-chain checksum`);
    expect(outcome.exit).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
  });

  describe('refuses an image that is not the registered one, in pre-compute, before any secret is asked for', () => {
    /** An app that leaves a marker if it ever runs; the image is stored, then `tamper` changes the store. */
    async function refused(tamper: (stored: StoredAppImage) => void, expectedMeasurement?: (stored: StoredAppImage) => Hex) {
      const marker = join(mkdtempSync(join(root, 'marker-')), 'ran');
      const stored = await image({ 'app.js': `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');` });
      tamper(stored);
      const requestSecrets = sms({});
      const outcome = await runTask(
        options({ app: appOf(stored, expectedMeasurement ? expectedMeasurement(stored) : stored.measurement) }, requestSecrets),
      );
      expect(outcome.status).toBe('failed');
      if (outcome.status !== 'failed') throw new Error('the task ran');
      expect(outcome.phase).toBe('pre-compute');
      expect(outcome.exit).toBeUndefined();
      expect(requestSecrets).not.toHaveBeenCalled();
      expect(existsSync(marker)).toBe(false);
      // Nothing unpacked is left behind either.
      expect(readdirSync(join(root, 'work'))).toEqual([]);
      return { outcome, stored };
    }
    const flipByte = (path: string, at: (bytes: Buffer) => number) => {
      const bytes = readFileSync(path);
      const index = at(bytes);
      expect(index).toBeGreaterThanOrEqual(0);
      bytes[index] = (bytes[index] as number) ^ 0x01;
      writeFileSync(path, bytes);
    };

    it('a digest other than the on-chain checksum (never read)', async () => {
      const registered = `0x${'ab'.repeat(32)}` as Hex;
      const { outcome, stored } = await refused(
        () => undefined,
        () => registered,
      );
      expect(outcome.error.name).toBe('MeasurementMismatchError');
      expect(outcome.cause).toBe(`the app image measures ${stored.measurement}, but the app's on-chain checksum is ${registered}`);
      expect(outcome.measurement).toBeUndefined();
    });

    it('one flipped byte in the stored layer', async () => {
      const { outcome, stored } = await refused((image) => {
        const layer = image.image.layers[0]?.digest as string;
        // In the app's code: `writeFileSync` becomes `wrhteFileSync`.
        flipByte(storedBlob(image.storeDir, layer), (bytes) => bytes.indexOf('writeFileSync') + 2);
      });
      expect(outcome.error.name).toBe('ImageDigestMismatchError');
      expect(outcome.cause).toMatch(
        new RegExp(
          `^the image's layer 0 is not the one its manifest names: ${stored.image.layers[0]?.digest} expected, sha256:[0-9a-f]{64} received$`,
        ),
      );
      expect(outcome.measurement).toBeUndefined();
    });

    it('one flipped byte in the stored manifest', async () => {
      const { outcome, stored } = await refused((image) =>
        flipByte(storedBlob(image.storeDir, image.digest), (bytes) => bytes.length >> 1),
      );
      expect(outcome.error.name).toBe('ImageDigestMismatchError');
      expect(outcome.cause).toMatch(
        new RegExp(`^the image's manifest is not the one its digest names: ${stored.digest} expected, sha256:[0-9a-f]{64} received$`),
      );
      expect(outcome.measurement).toBeUndefined();
    });
  });

  it('refuses a wrong dataset key without leaving plaintext', async () => {
    const data = await protectedData({ email: 'alice@example.com' });
    const stored = await image({ 'app.js': 'console.log(1)' });
    const outcome = await runTask(
      options({ app: appOf(stored), dataset: data.dataset }, sms({ datasetKey: Buffer.alloc(32, 1).toString('base64') })),
    );
    expect(outcome.status === 'failed' && outcome.cause).toBe(
      `the protected data ${datasetAddress} cannot be decrypted with the key the SMS released`,
    );
  });

  it('encrypts the result for the beneficiary; decryptResult opens it', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const app = await image({
      'app.js': `const fs = require('fs'); fs.writeFileSync(process.env.IEXEC_OUT + '/result.txt', 'secret result'); fs.writeFileSync(process.env.IEXEC_OUT + '/computed.json', JSON.stringify({ 'deterministic-output-path': process.env.IEXEC_OUT + '/result.txt' }));`,
    });
    const outcome = await runTask(
      options({ app: appOf(app) }, sms({ resultEncryptionPublicKey: Buffer.from(publicPem).toString('base64') })),
    );
    if (outcome.status !== 'completed') throw outcome.error;
    expect(outcome.encrypted).toBe(true);
    const stored = storage.blobs.get(outcome.resultLocation.replace('/ipfs/', '')) as Uint8Array;
    const outer = await JSZip.loadAsync(stored);
    expect(Object.keys(outer.files).sort()).toEqual(['aes-key.rsa', 'iexec_out.zip.aes']);
    // iExec's layout: the wrapped key as raw RSA bytes (a 2048-bit key wraps to 256 bytes), DEFLATE entries.
    expect((await outer.file('aes-key.rsa')?.async('uint8array'))?.length).toBe(256);
    expect(Buffer.from(stored).includes(Buffer.from('secret result'))).toBe(false);
    const plainZip = await decryptResult(stored, {
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      crypto: nodeCrypto,
    });
    const inner = await JSZip.loadAsync(plainZip);
    expect(Object.keys(inner.files).sort()).toEqual(['computed.json', 'result.txt']);
    expect(await inner.file('result.txt')?.async('string')).toBe('secret result');
    // The app wrote this worker's folder; the result names the file inside the enclave.
    expect(JSON.parse((await inner.file('computed.json')?.async('string')) ?? '')).toEqual({
      'deterministic-output-path': '/iexec_out/result.txt',
    });
  });
});
