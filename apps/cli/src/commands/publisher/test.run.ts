import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type * as runnerModule from '@confidant/enclave/runner';
import type { AppExit } from '@confidant/enclave/runner';
import type { AppLaunch } from '@confidant/oci';
import { BaseError } from '@confidant/errors';
import { CliError, EXIT, type Output } from '../../output.js';
import { resolveMock } from './mock.run.js';
import { bundleFiles, loadProject, type PreparedBundle, prepareBundle, type Project } from './project.js';

export type TestOptions = {
  protectedData?: string | undefined;
  args?: string | undefined;
  inputFile?: string[] | undefined;
  requesterSecret?: string[] | undefined;
  appSecret?: string | undefined;
  maxTime: string;
};

/** The address the mock protected data gets in IEXEC_IN (any address would do: none is on chain). */
const MOCK_DATASET_ADDRESS = '0x000000000000000000000000000000000000da7a';

function secretsOf(specs: string[] = []): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const spec of specs) {
    const match = /^(\d+)=(.*)$/s.exec(spec);
    if (!match || Number(match[1]) < 1)
      throw new CliError(
        `--requester-secret ${spec.split('=')[0]}=… is not index=value`,
        "Give --requester-secret 1=value (indexes from 1, as the request's iexec_secrets).",
      );
    secrets[match[1] as string] = match[2] as string;
  }
  return secrets;
}

/** The enclave runner, loaded only when `confidant test` runs. */
type Runner = typeof runnerModule;

/** The task's folders, as the worker's enclave has them: IEXEC_OUT is the project's ./output. */
type Folders = { images: string; app: string; in: string; scratch: string; home: string; tmp: string; out: string };

/**
 * `confidant test`: runs the app as the worker would — its image (built as `confidant deploy`
 * builds it, verified and unpacked, its digest the measurement), the IEXEC_*
 * environment, the protected data in IEXEC_IN under its address, input files named 0x + sha256(url),
 * the time limit — without Docker, then applies post-compute's checks (computed.json, file names,
 * the 50 MiB cap) and leaves the result in ./output/.
 */
export async function runTest(output: Output, options: TestOptions): Promise<void> {
  const runner = await import('@confidant/enclave/runner');
  const project = await loadProject();
  const maxTimeSeconds = Number(options.maxTime);
  if (!Number.isInteger(maxTimeSeconds) || maxTimeSeconds < 1)
    throw new CliError(`--max-time ${options.maxTime} is not a number of seconds`, 'Give a whole number of seconds, e.g. --max-time 60.');
  const requesterSecrets = secretsOf(options.requesterSecret);
  const args = runner.splitArgs(options.args ?? '');

  const bundle = await prepareBundle(project);
  const work = await mkdtemp(join(tmpdir(), 'confidant-test-'));
  const folders: Folders = {
    images: join(work, 'images'),
    app: join(work, 'app'),
    in: join(work, 'iexec_in'),
    scratch: join(work, 'scratch'),
    home: join(work, 'home'),
    tmp: join(work, 'tmp'),
    out: join(project.dir, 'output'),
  };
  try {
    const { digest, measurement, launch } = await prepareFolders(runner, project, bundle, folders);
    output.debug(`image ${digest} built from ${bundle.dir}, verified and unpacked`);
    const { dataset, inputNames, env } = await prepareInputs(runner, project, { ...options, requesterSecrets }, folders);

    output.info(
      `running ${project.name} (${project.runtime} ${bundle.entrypoint}${dataset ? `, protected data ${dataset}` : ', no protected data'}${args.length ? `, args ${JSON.stringify(args)}` : ''})`,
    );
    const exit = await runInSandbox(runner, output, { appDir: folders.app, launch, args, env, maxTimeSeconds });
    const { computed, listing, resultDigest } = await checkResult(runner, folders.out);
    const result = {
      app: project.name,
      digest,
      measurement,
      durationMs: exit.durationMs,
      outputDir: folders.out,
      files: listing.files,
      totalBytes: listing.totalBytes,
      resultDigest,
      computed,
      inputFiles: inputNames,
      protectedData: dataset ?? null,
      log: output.json ? exit.log : undefined,
    };
    output.result(result, (r) =>
      [
        `✔ the app exited with 0 in ${r.durationMs} ms; computed.json is valid and the output (${r.totalBytes} bytes) is under the 50 MiB cap`,
        `  result in ${relativeOrAbsolute(project.dir, r.outputDir)}/: ${r.files.map((f) => f.path).join(', ')}`,
        `  result digest ${r.resultDigest}`,
        `  image digest  ${r.digest}   (the measurement: \`confidant deploy\` registers it as the checksum)`,
      ].join('\n'),
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Builds the app's image from the bundle (the same bytes `confidant deploy` pushes), stores it, and
 * unpacks it the way the enclave does; makes the task's folders (./output emptied).
 */
async function prepareFolders(
  runner: Runner,
  project: Project,
  bundle: PreparedBundle,
  folders: Folders,
): Promise<{ digest: string; measurement: string; launch: AppLaunch }> {
  const { buildAppImage, storeBuiltImage } = await import('@confidant/oci');
  const image = await buildAppImage({ files: await bundleFiles(bundle), runtime: project.runtime, entrypoint: bundle.entrypoint });
  // A store for this one run: no fsync.
  await storeBuiltImage(image, folders.images, { durable: false });
  for (const dir of [folders.in, folders.scratch, folders.home, folders.tmp]) await mkdir(dir, { recursive: true });
  await rm(folders.out, { recursive: true, force: true });
  await mkdir(folders.out, { recursive: true });
  const prepared = await runner.prepareAppImage({ storeDir: folders.images, digest: image.manifestDigest, appDir: folders.app });
  return { digest: image.manifestDigest, measurement: prepared.measurement, launch: prepared.launch };
}

/** Inputs, as pre-compute lays them out, and the same environment the worker's enclave gives an app. */
async function prepareInputs(
  runner: Runner,
  project: Project,
  options: Pick<TestOptions, 'protectedData' | 'inputFile' | 'appSecret'> & { requesterSecrets: Record<string, string> },
  folders: Folders,
): Promise<{ dataset: string | undefined; inputNames: { source: string; name: string }[]; env: Record<string, string> }> {
  const taskId = `0x${randomBytes(32).toString('hex')}`;
  const dealId = `0x${randomBytes(32).toString('hex')}`;
  const protectedData = options.protectedData ?? project.protectedData ?? undefined;
  let dataset: string | undefined;
  if (protectedData !== undefined && protectedData !== 'none') {
    dataset = await resolveMock(project.dir, protectedData === 'mock' ? (project.protectedData ?? 'mock/protected-data') : protectedData);
    await copyFile(dataset, join(folders.in, MOCK_DATASET_ADDRESS));
  }
  const inputNames: { source: string; name: string }[] = [];
  for (const source of options.inputFile ?? []) inputNames.push({ source, name: await layOutInputFile(runner, project, source, folders) });
  const env = runner.appEnvironment({
    folders: { in: folders.in, out: folders.out, home: folders.home, tmp: folders.tmp },
    taskId,
    dealId,
    dataset: dataset ? { address: MOCK_DATASET_ADDRESS, filename: MOCK_DATASET_ADDRESS } : undefined,
    inputFileNames: inputNames.map((input) => input.name),
    requesterSecrets: options.requesterSecrets,
    appDeveloperSecret: options.appSecret,
  });
  return { dataset, inputNames, env };
}

/** Puts one input file (a URL, fetched, or a local file) in IEXEC_IN and returns its name there. */
async function layOutInputFile(runner: Runner, project: Project, source: string, folders: Folders): Promise<string> {
  if (/^https?:\/\//.test(source)) {
    const [name] = await runner.fetchInputFiles([source], {
      inDir: folders.in,
      scratchDir: folders.scratch,
      storage: { gatewayUrl: 'https://ipfs.io', apiUrl: 'http://127.0.0.1:5001' },
    });
    return name as string;
  }
  const path = resolve(project.dir, source);
  if (!existsSync(path)) throw new CliError(`no input file ${source}`, 'Give a path to a local file or an http(s) URL.');
  // The real worker names a file by its URL: sha256 of the URL the requester gives.
  const name = runner.inputFileName(source);
  await copyFile(path, join(folders.in, name));
  return name;
}

/** Runs the app with the worker's limits, its lines shown as they come; throws if it failed. */
async function runInSandbox(
  runner: Runner,
  output: Output,
  run: { appDir: string; launch: AppLaunch; args: string[]; env: Record<string, string>; maxTimeSeconds: number },
): Promise<AppExit> {
  const { launch, ...rest } = run;
  const { PATH: _imagePath, ...imageEnv } = launch.env;
  const exit = await runner.runApp({
    ...rest,
    // As the enclave starts it: the image's entrypoint with the host's runtime, its fixed arguments first.
    declaration: { runtime: launch.runtime, entrypoint: launch.script },
    workingDir: launch.workingDir,
    args: runner.launchArgs(launch, run.args),
    env: { ...imageEnv, ...run.env },
    memoryLimitMiB: 1024,
    onLine: (stream, line) => {
      if (output.json) return;
      (stream === 'stdout' ? process.stdout : process.stderr).write(`  │ ${line}\n`);
    },
  });
  if (exit.cause) {
    throw new CliError(
      `the app failed: ${exit.cause}`,
      exit.timedOut
        ? 'Make it finish sooner, or give it more time with --max-time.'
        : 'Fix the app (its output is above), then run `confidant test` again. The worker would fail this task the same way.',
      EXIT.appFailed,
    );
  }
  return exit;
}

/** Post-compute's checks of IEXEC_OUT: computed.json, the files, the result digest. */
async function checkResult(runner: Runner, outDir: string) {
  try {
    const computed = await runner.readComputed(outDir);
    if (computed.errorMessage !== undefined)
      throw new CliError(
        `the app reported an error in computed.json: ${computed.errorMessage.slice(0, 500)}`,
        'The task would fail with this message; fix the cause, then test again.',
        EXIT.appFailed,
      );
    const listing = await runner.checkOutputFolder(outDir);
    const resultDigest = await runner.computeResultDigest(outDir, computed);
    return { computed, listing, resultDigest };
  } catch (error) {
    if (error instanceof CliError) throw error;
    if (error instanceof BaseError)
      throw new CliError(
        `the result would be refused: ${error.shortMessage}`,
        error.hints[0] ?? 'Fix what the app writes to IEXEC_OUT.',
        EXIT.appFailed,
      );
    throw error;
  }
}

function relativeOrAbsolute(base: string, path: string): string {
  return path.startsWith(`${base}/`) ? `.${path.slice(base.length)}` : path;
}
