import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { signEnclaveResult } from '@confidant/contracts';
import { BaseError } from '@confidant/errors';
import { type AppLaunch, launchArgs } from '@confidant/oci';
import { type Hex, stringToHex } from 'viem';
import { createEnclaveKeys } from '../attestation.js';
import { AppFailedError, TaskSecretsError } from '../errors.js';
import { appEnvironment } from './appEnvironment.js';
import { prepareAppImage } from './appImage.js';
import { splitArgs } from './args.js';
import type { RunTaskOptions, TaskOutcome, TaskPhase } from './options.js';
import { checkOutputFolder, computeResultDigest, placeComputedInEnclave, readComputed, zipOutput } from './postCompute.js';
import { fetchDataset, fetchInputFiles } from './preCompute.js';
import { encryptResult } from './resultEncryption.js';
import { type AppExit, runApp } from './sandbox.js';
import { openTaskSecrets, type TaskSecrets } from './secrets.js';
import { uploadToIpfs } from './storage.js';

type Folders = { root: string; app: string; in: string; out: string; scratch: string; home: string; tmp: string };

async function privateFolders(workDir: string, taskId: Hex): Promise<Folders> {
  await mkdir(workDir, { recursive: true });
  const root = await mkdtemp(join(workDir, `task-${taskId.slice(2, 10)}-`));
  const folders: Folders = {
    root,
    app: join(root, 'app'),
    in: join(root, 'iexec_in'),
    out: join(root, 'iexec_out'),
    scratch: join(root, 'scratch'),
    home: join(root, 'home'),
    tmp: join(root, 'tmp'),
  };
  await chmod(root, 0o700);
  for (const folder of [folders.in, folders.out, folders.scratch, folders.home, folders.tmp]) await mkdir(folder, { mode: 0o700 });
  return folders;
}

function keyFor(secrets: TaskSecrets, address: string): string | undefined {
  const entry = Object.entries(secrets.bulkDatasetKeys ?? {}).find(([key]) => key.toLowerCase() === address.toLowerCase());
  return entry?.[1];
}

function asBaseError(error: unknown): BaseError {
  if (error instanceof BaseError) return error;
  return new BaseError(`the task failed unexpectedly: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, {
    hints: ['This is a bug or an environment problem of the worker; its log has the details.'],
    cause: error,
  });
}

/** The phase a task is in, the time each phase took, and what a failure report needs. */
function createProgress(options: RunTaskOptions) {
  const started = Date.now();
  const timings = { preComputeMs: 0, appMs: 0, postComputeMs: 0, totalMs: 0 };
  let phase: TaskPhase = 'pre-compute';
  let phaseStarted = started;
  return {
    timings,
    measurement: undefined as Hex | undefined,
    exit: undefined as AppExit | undefined,
    get phase() {
      return phase;
    },
    log: (at: TaskPhase, message: string, level: 'info' | 'warn' | 'error' = 'info') => options.logger?.({ phase: at, level, message }),
    endPhase(next: TaskPhase) {
      const now = Date.now();
      if (phase === 'pre-compute') timings.preComputeMs = now - phaseStarted;
      else if (phase === 'app') timings.appMs = now - phaseStarted;
      else timings.postComputeMs = now - phaseStarted;
      phase = next;
      phaseStarted = now;
    },
    finish: () => void (timings.totalMs = Date.now() - started),
  };
}

type Progress = ReturnType<typeof createProgress>;

/** What pre-compute hands to the app and to post-compute. */
type Prepared = {
  /** How the verified image starts (its script and working folder under `folders.app`). */
  launch: AppLaunch;
  keys: ReturnType<typeof createEnclaveKeys>;
  secrets: TaskSecrets;
  args: string[];
  datasetFilename: string | undefined;
  bulkFilenames: string[];
  inputFileNames: string[];
};

/**
 * Verifies and unpacks the app image, then attests fresh enclave keys for its measurement and opens
 * the task's secrets: an image that is not the registered one is refused before any key exists.
 */
async function attest(options: RunTaskOptions, folders: Folders, progress: Progress) {
  const { task } = options;
  const { measurement, launch, files } = await prepareAppImage({
    storeDir: task.app.image.storeDir,
    digest: task.app.image.digest,
    appDir: folders.app,
    expectedMeasurement: task.app.expectedMeasurement,
  });
  progress.measurement = measurement;
  progress.log('pre-compute', `app image ${task.app.image.digest} verified (${files} files)`);
  const keys = createEnclaveKeys();
  const nonce = options.nonce ?? (await options.requestChallenge?.(task.taskId));
  if (!nonce)
    throw new TaskSecretsError('the runner has no challenge for this task', 'Pass the SMS challenge as `nonce`, or `requestChallenge`.');
  const quote = await options.platform.quote({
    measurement,
    enclaveAddress: keys.account.address,
    encryptionPublicKey: keys.encryptionPublicKey,
    taskId: task.taskId,
    nonce,
    issuedAt: Math.floor(Date.now() / 1000),
  });
  progress.log('pre-compute', `enclave ${keys.account.address} attested; asking for the task's secrets`);
  const box = await options.requestSecrets(quote, {
    enclaveChallenge: keys.account.address,
    encryptionPublicKey: keys.encryptionPublicKey,
  });
  return { launch, keys, secrets: openTaskSecrets(keys, box, task.taskId) };
}

/** Pre-compute: the verified image, attestation and secrets, then the protected data (checked, decrypted) and the input files. */
async function preCompute(options: RunTaskOptions, folders: Folders, progress: Progress): Promise<Prepared> {
  const { task } = options;
  const { launch, keys, secrets } = await attest(options, folders, progress);
  const args = splitArgs(task.args ?? '');
  const fetchContext = {
    inDir: folders.in,
    scratchDir: folders.scratch,
    storage: options.storage,
    fetch: options.fetch,
    maxBytes: options.maxDownloadBytes ?? 4 * 1024 ** 3,
  };
  let datasetFilename: string | undefined;
  if (task.dataset) {
    if (!secrets.datasetKey) throw new TaskSecretsError(`the SMS released no key for the protected data ${task.dataset.address}`);
    datasetFilename = await fetchDataset(task.dataset, secrets.datasetKey, fetchContext);
    progress.log('pre-compute', `protected data ${task.dataset.address} checked and decrypted`);
  }
  const bulkFilenames: string[] = [];
  for (const dataset of task.bulkDatasets ?? []) {
    const key = keyFor(secrets, dataset.address);
    if (!key) throw new TaskSecretsError(`the SMS released no key for the protected data ${dataset.address} of the bulk`);
    bulkFilenames.push(await fetchDataset(dataset, key, fetchContext));
  }
  if (bulkFilenames.length > 0) progress.log('pre-compute', `${bulkFilenames.length} protected data of the bulk checked and decrypted`);
  const inputFileNames = await fetchInputFiles(task.inputFiles ?? [], fetchContext);
  if (inputFileNames.length > 0) progress.log('pre-compute', `${inputFileNames.length} input file(s) downloaded`);
  return { launch, keys, secrets, args, datasetFilename, bulkFilenames, inputFileNames };
}

/** The app itself, sandboxed, with its environment; a failure to exit with 0 fails the task. */
async function runAppPhase(options: RunTaskOptions, folders: Folders, prepared: Prepared, progress: Progress): Promise<AppExit> {
  const { task } = options;
  const { launch } = prepared;
  const memoryLimitMiB = options.memoryLimitMiB ?? 1024;
  progress.log('app', `starting the ${launch.runtime} app (time limit ${task.maxTimeSeconds} s, memory ${memoryLimitMiB} MiB)`);
  // The image's environment comes under the task's; its PATH would name the image's folders, not the host's.
  const { PATH: _imagePath, ...imageEnv } = launch.env;
  const exit = await runApp({
    appDir: folders.app,
    workingDir: launch.workingDir,
    declaration: { runtime: launch.runtime, entrypoint: launch.script },
    args: launchArgs(launch, prepared.args),
    env: {
      ...imageEnv,
      ...appEnvironment({
        folders,
        taskId: task.taskId,
        dealId: task.dealId,
        dataset:
          task.dataset && prepared.datasetFilename ? { address: task.dataset.address, filename: prepared.datasetFilename } : undefined,
        inputFileNames: prepared.inputFileNames,
        bulkFilenames: prepared.bulkFilenames,
        requesterSecrets: prepared.secrets.requesterSecrets,
        appDeveloperSecret: prepared.secrets.appDeveloperSecret,
      }),
    },
    maxTimeSeconds: task.maxTimeSeconds,
    memoryLimitMiB,
    maxLogBytes: options.maxLogBytes,
    nodePath: options.nodePath,
    pythonPath: options.pythonPath,
    onLine: (stream, line) => options.logger?.({ phase: 'app', level: stream === 'stderr' ? 'warn' : 'info', message: line, stream }),
  });
  progress.exit = exit;
  if (exit.cause) throw new AppFailedError(exit.cause);
  progress.log('app', `the app exited with 0 after ${exit.durationMs} ms`);
  return exit;
}

/** Post-compute: checks the output, digests and zips it, encrypts it for the beneficiary, uploads, signs. */
async function postCompute(options: RunTaskOptions, folders: Folders, prepared: Prepared, progress: Progress) {
  const computed = await placeComputedInEnclave(folders.out, await readComputed(folders.out));
  if (computed.errorMessage !== undefined) throw new AppFailedError(`the app reported an error: ${computed.errorMessage.slice(0, 500)}`);
  const listing = await checkOutputFolder(folders.out);
  const resultDigest = await computeResultDigest(folders.out, computed);
  const zip = await zipOutput(folders.out, listing);
  const publicKey = prepared.secrets.resultEncryptionPublicKey;
  const encrypted = publicKey !== undefined;
  const archive = encrypted ? encryptResult(zip, publicKey) : zip;
  const cid = await uploadToIpfs(archive, encrypted ? 'iexec_out.zip.enc.zip' : 'iexec_out.zip', options.storage, options.fetch);
  const resultLocation = `/ipfs/${cid}`;
  progress.log('post-compute', `result ${resultDigest} stored at ${resultLocation}${encrypted ? ' (encrypted for the beneficiary)' : ''}`);
  const enclaveSign = await signEnclaveResult(prepared.keys.account, { worker: options.worker, taskId: options.task.taskId, resultDigest });
  const contribution = {
    resultDigest,
    results: stringToHex(JSON.stringify({ storage: 'ipfs', location: resultLocation })),
    resultsCallback: computed.callbackData ?? '0x',
    enclaveChallenge: prepared.keys.account.address,
    enclaveSign,
  };
  return { contribution, resultLocation, encrypted };
}

/**
 * Runs one task in the (simulated) enclave, end to end:
 * - pre-compute: opens the app's OCI image from the worker's store, checking every blob against
 *   its digest (and the manifest digest against the on-chain checksum when given), unpacks it into
 *   the task's folder, makes fresh enclave keys, gets a quote over them that claims that digest as
 *   the measurement, asks the SMS for the sealed secrets, fetches the protected data (refused
 *   unless its sha256 is the on-chain checksum), decrypts it to `$IEXEC_IN/<address>`, fetches the
 *   input files. A tampered or unregistered image fails here: no key, no secret, nothing runs;
 * - app: runs the image's script with the host's node or python3 in the image's working folder,
 *   the image's fixed args before the task's, with a clean environment (the image's own under the
 *   task's), private IEXEC_IN/IEXEC_OUT, a time and memory limit;
 * - post-compute: checks computed.json and the output rules, computes the result digest, zips
 *   IEXEC_OUT, encrypts it for the beneficiary when a key was released, uploads it, signs.
 * Every folder of the task is removed at the end, whatever happened.
 *
 * @example
 * const outcome = await runTask({ task, worker, platform, nonce, requestSecrets, storage, workDir });
 * if (outcome.status === 'completed') await contributeAndFinalize(outcome.contribution);
 */
export async function runTask(options: RunTaskOptions): Promise<TaskOutcome> {
  const progress = createProgress(options);
  let folders: Folders | undefined;
  try {
    folders = await privateFolders(options.workDir, options.task.taskId);
    const prepared = await preCompute(options, folders, progress);
    progress.endPhase('app');
    const exit = await runAppPhase(options, folders, prepared, progress);
    progress.endPhase('post-compute');
    const result = await postCompute(options, folders, prepared, progress);
    progress.endPhase('post-compute');
    progress.finish();
    return { status: 'completed', ...result, measurement: progress.measurement as Hex, exit, logs: exit.log, timings: progress.timings };
  } catch (caught) {
    const error = asBaseError(caught);
    const failedPhase = progress.phase;
    progress.endPhase(failedPhase);
    progress.finish();
    progress.log(failedPhase, error.shortMessage, 'error');
    return {
      status: 'failed',
      phase: failedPhase,
      cause: error.shortMessage,
      error,
      measurement: progress.measurement,
      exit: progress.exit,
      logs: progress.exit?.log ?? '',
      timings: progress.timings,
    };
  } finally {
    if (folders) await rm(folders.root, { recursive: true, force: true });
  }
}
