import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BaseError } from '@confidant/errors';
import { CliError, EXIT, type Output } from '../../output.js';
import { resolveMock } from './mock.run.js';
import { loadProject, prepareBundle } from './project.js';

export type TestOptions = {
  protectedData?: string | undefined;
  args?: string | undefined;
  inputFile?: string[] | undefined;
  requesterSecret?: string[] | undefined;
  appSecret?: string | undefined;
  maxTime: string;
};

/** The address the mock protected data gets in IEXEC_IN (any address would do: none is on chain). */
export const MOCK_DATASET_ADDRESS = '0x000000000000000000000000000000000000da7a';

function secretsOf(specs: string[] = []): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const spec of specs) {
    const match = /^(\d+)=(.*)$/s.exec(spec);
    if (!match || Number(match[1]) < 1) throw new CliError(`--requester-secret ${spec.split('=')[0]}=… is not index=value`, 'Give --requester-secret 1=value (indexes from 1, as the request\'s iexec_secrets).');
    secrets[match[1] as string] = match[2] as string;
  }
  return secrets;
}

/**
 * `confidant test`: runs the app as the worker would — the measured bundle copy, the IEXEC_*
 * environment, the protected data in IEXEC_IN under its address, input files named 0x + sha256(url),
 * the time limit — without Docker, then applies post-compute's checks (computed.json, file names,
 * the 50 MiB cap) and leaves the result in ./output/.
 */
export async function runTest(output: Output, options: TestOptions): Promise<void> {
  const { appEnvironment, measureBundle, runApp, readComputed, checkOutputFolder, computeResultDigest, splitArgs, inputFileName, fetchInputFiles } = await import('@confidant/enclave/runner');
  const project = await loadProject();
  const maxTimeSeconds = Number(options.maxTime);
  if (!Number.isInteger(maxTimeSeconds) || maxTimeSeconds < 1) throw new CliError(`--max-time ${options.maxTime} is not a number of seconds`, 'Give a whole number of seconds, e.g. --max-time 60.');
  const requesterSecrets = secretsOf(options.requesterSecret);
  const args = splitArgs(options.args ?? '');

  const bundle = await prepareBundle(project);
  const declaration = { runtime: project.runtime, entrypoint: bundle.entrypoint };
  const work = await mkdtemp(join(tmpdir(), 'confidant-test-'));
  const folders = { app: join(work, 'app'), in: join(work, 'iexec_in'), scratch: join(work, 'scratch'), home: join(work, 'home'), tmp: join(work, 'tmp'), out: join(project.dir, 'output') };
  try {
    await cp(bundle.dir, folders.app, { recursive: true, verbatimSymlinks: true });
    for (const dir of [folders.in, folders.scratch, folders.home, folders.tmp]) await mkdir(dir, { recursive: true });
    await rm(folders.out, { recursive: true, force: true });
    await mkdir(folders.out, { recursive: true });
    const measurement = await measureBundle(folders.app, declaration);
    output.debug(`bundle ${bundle.dir} measured: ${measurement}`);

    // Inputs, as pre-compute lays them out.
    const taskId = `0x${randomBytes(32).toString('hex')}`;
    const dealId = `0x${randomBytes(32).toString('hex')}`;
    const protectedData = options.protectedData ?? project.protectedData ?? undefined;
    let dataset: string | undefined;
    if (protectedData !== undefined && protectedData !== 'none') {
      dataset = await resolveMock(project.dir, protectedData === 'mock' ? (project.protectedData ?? 'mock/protected-data') : protectedData);
      await copyFile(dataset, join(folders.in, MOCK_DATASET_ADDRESS));
    }
    const inputNames: { source: string; name: string }[] = [];
    for (const source of options.inputFile ?? []) {
      if (/^https?:\/\//.test(source)) {
        const [name] = await fetchInputFiles([source], { inDir: folders.in, scratchDir: folders.scratch, storage: { gatewayUrl: 'https://ipfs.io', apiUrl: 'http://127.0.0.1:5001' } });
        inputNames.push({ source, name: name as string });
      } else {
        const path = resolve(project.dir, source);
        if (!existsSync(path)) throw new CliError(`no input file ${source}`, 'Give a path to a local file or an http(s) URL.');
        // The real worker names a file by its URL: sha256 of the URL the requester gives.
        const name = inputFileName(source);
        await copyFile(path, join(folders.in, name));
        inputNames.push({ source, name });
      }
    }
    // The same environment the worker's enclave gives an app.
    const env = appEnvironment({
      folders: { in: folders.in, out: folders.out, home: folders.home, tmp: folders.tmp },
      taskId,
      dealId,
      dataset: dataset ? { address: MOCK_DATASET_ADDRESS, filename: MOCK_DATASET_ADDRESS } : undefined,
      inputFileNames: inputNames.map((input) => input.name),
      requesterSecrets,
      appDeveloperSecret: options.appSecret,
    });

    output.info(`running ${project.name} (${project.runtime} ${bundle.entrypoint}${dataset ? `, protected data ${dataset}` : ', no protected data'}${args.length ? `, args ${JSON.stringify(args)}` : ''})`);
    const exit = await runApp({
      appDir: folders.app,
      declaration,
      args,
      env,
      maxTimeSeconds,
      memoryLimitMiB: 1024,
      onLine: (stream, line) => {
        if (output.json) return;
        (stream === 'stdout' ? process.stdout : process.stderr).write(`  │ ${line}\n`);
      },
    });
    if (exit.cause) {
      throw new CliError(`the app failed: ${exit.cause}`, exit.timedOut ? 'Make it finish sooner, or give it more time with --max-time.' : 'Fix the app (its output is above), then run `confidant test` again. The worker would fail this task the same way.', EXIT.appFailed);
    }
    let computed;
    let listing;
    let resultDigest;
    try {
      computed = await readComputed(folders.out);
      if (computed.errorMessage !== undefined) throw new CliError(`the app reported an error in computed.json: ${computed.errorMessage.slice(0, 500)}`, 'The task would fail with this message; fix the cause, then test again.', EXIT.appFailed);
      listing = await checkOutputFolder(folders.out);
      resultDigest = await computeResultDigest(folders.out, computed);
    } catch (error) {
      if (error instanceof CliError) throw error;
      if (error instanceof BaseError) throw new CliError(`the result would be refused: ${error.shortMessage}`, error.hints[0] ?? 'Fix what the app writes to IEXEC_OUT.', EXIT.appFailed);
      throw error;
    }
    const result = {
      app: project.name,
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
        `  measurement   ${r.measurement}`,
      ].join('\n'),
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function relativeOrAbsolute(base: string, path: string): string {
  return path.startsWith(`${base}/`) ? `.${path.slice(base.length)}` : path;
}
