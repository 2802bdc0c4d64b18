import { posix } from 'node:path';
import { type BuiltImage, buildImage, type ImageFile } from './buildImage.js';
import { ImageBuildError, ImageLaunchError } from './errors.js';
import type { ImageConfig } from './schemas.js';
import { writeBlob } from './store.js';

/** The runtimes an iApp image starts with: the base image's `node`, or its `python3`. */
export type AppRuntime = 'node' | 'python';

/** Where an iApp's files sit in its image, and where it starts. */
export const APP_DIR = '/app';

const COMMANDS: Record<AppRuntime, string> = { node: 'node', python: 'python3' };

/**
 * The OCI image of an iApp: its files under `/app`, started as `node /app/<entrypoint>` or
 * `python3 -u /app/<entrypoint>` (unbuffered, so logs arrive as they are written). The same files
 * give the same image digest everywhere: it is the app's on-chain checksum and the measurement its
 * enclave reports.
 *
 * @example
 * const image = await buildAppImage({ files: { 'src/app.js': source }, runtime: 'node', entrypoint: 'src/app.js' });
 */
export async function buildAppImage(parameters: {
  files: Readonly<Record<string, ImageFile>>;
  runtime: AppRuntime;
  entrypoint: string;
}): Promise<BuiltImage> {
  const { runtime, entrypoint } = parameters;
  if (!Object.hasOwn(COMMANDS, runtime))
    throw new ImageBuildError(`the runtime "${String(runtime)}"`, 'is not one an iApp image starts with', 'Declare "node" or "python".');
  if (!Object.hasOwn(parameters.files, entrypoint))
    throw new ImageBuildError(
      `the entrypoint "${entrypoint}"`,
      "is not one of the app's files",
      'Name the file the app starts from, e.g. src/app.js.',
    );
  const script = posix.join(APP_DIR, entrypoint);
  return buildImage({
    files: parameters.files,
    workingDir: APP_DIR,
    entrypoint: runtime === 'python' ? [COMMANDS.python, '-u', script] : [COMMANDS.node, script],
  });
}

/** How the simulated enclave starts an image: with the host's runtime, on a script of the image. */
export type AppLaunch = {
  runtime: AppRuntime;
  /** The script, relative to the image's root folder. */
  script: string;
  /** Arguments the image's Entrypoint gives after the script: always passed, before the task's. */
  args: string[];
  /** The image's Cmd after the script: passed only when the task gives no arguments, as Docker does. */
  defaultArgs: string[];
  /** The folder the process starts in, relative to the image's root folder ('' for the root). */
  workingDir: string;
  /** The image's environment (`KEY=value`), under the task's. */
  env: Record<string, string>;
};

const RUNTIME_OF: Record<string, AppRuntime> = { node: 'node', nodejs: 'node', python: 'python', python3: 'python' };
const launchHint =
  'Images run in the simulated enclave with the host\'s runtime: make the entrypoint ["node", "<script>"] or ["python3", "<script>"].';

/**
 * How the simulated enclave starts an image, read from its config: Entrypoint then Cmd must be a
 * `node` or `python3` (any path, e.g. `/usr/local/bin/node`) followed by the script; interpreter
 * flags before the script are refused, except Python's `-u`. The host's `node` and `python3`
 * stand in for the base image's. As with `docker run`, the task's arguments replace the Cmd's
 * (`launchArgs`); the Entrypoint's always come first.
 *
 * @example
 * const { runtime, script, args } = appLaunchOf(image.config);
 */
export function appLaunchOf(config: ImageConfig): AppLaunch {
  const command = [...(config.config?.Entrypoint ?? []), ...(config.config?.Cmd ?? [])];
  const [program, ...rest] = command;
  const runtime = program === undefined ? undefined : RUNTIME_OF[posix.basename(program)];
  if (!runtime)
    throw new ImageLaunchError(program === undefined ? 'the image has no entrypoint' : `the image starts with "${program}"`, launchHint);
  const flags = runtime === 'python' && rest[0] === '-u' ? 1 : 0;
  const scriptArg = rest[flags];
  if (scriptArg === undefined || scriptArg.startsWith('-'))
    throw new ImageLaunchError(`the image runs ${program} without a script${scriptArg ? ` (it passes ${scriptArg})` : ''}`, launchHint);
  const workingDir = relativeToRoot(config.config?.WorkingDir || '/');
  const script = relativeToRoot(posix.isAbsolute(scriptArg) ? scriptArg : posix.join('/', workingDir, scriptArg));
  const env: Record<string, string> = {};
  for (const entry of config.config?.Env ?? []) {
    const at = entry.indexOf('=');
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  // Arguments after the script: those of the Entrypoint are fixed, those of Cmd are defaults.
  const fixedCount = Math.max(0, (config.config?.Entrypoint?.length ?? 0) - (flags + 2));
  const after = rest.slice(flags + 1);
  return { runtime, script, args: after.slice(0, fixedCount), defaultArgs: after.slice(fixedCount), workingDir, env };
}

/**
 * The arguments an image's process gets for a task: the Entrypoint's, then the task's — or, when the
 * task gives none, the image's Cmd (what `docker run image [args…]` does).
 *
 * @example
 * launchArgs(launch, ['Alice']); // [...launch.args, 'Alice']
 */
export function launchArgs(launch: Pick<AppLaunch, 'args' | 'defaultArgs'>, taskArgs: readonly string[]): string[] {
  return [...launch.args, ...(taskArgs.length > 0 ? taskArgs : launch.defaultArgs)];
}

/** A POSIX path inside the image's root, without its leading slash (never above the root). */
function relativeToRoot(path: string): string {
  return posix.normalize(`/${path}`).replace(/^\/+/, '');
}

/**
 * Puts a built image into a content-addressed store (`blobs/sha256/<hex>`), as `pullImage` would
 * after pulling it: what `confidant test` runs without a registry. `durable: false` skips the
 * fsyncs, for a store thrown away after one run.
 *
 * @example
 * await storeBuiltImage(image, storeDir);
 * const stored = await openImage({ storeDir, digest: image.manifestDigest });
 */
export async function storeBuiltImage(image: BuiltImage, storeDir: string, options: { durable?: boolean | undefined } = {}): Promise<void> {
  const blobs: [Parameters<typeof writeBlob>[1], Uint8Array][] = [
    [{ digest: image.configDigest, size: image.config.length, blob: { kind: 'config' } }, image.config],
    ...image.layers.map((layer, index): [Parameters<typeof writeBlob>[1], Uint8Array] => [
      { digest: layer.digest, size: layer.size, blob: { kind: 'layer', index } },
      layer.bytes,
    ]),
    [{ digest: image.manifestDigest, size: image.manifest.length, blob: { kind: 'manifest' } }, image.manifest],
  ];
  // The manifest last: a store never names an image whose blobs are not all in.
  for (const [expected, bytes] of blobs) await writeBlob(storeDir, expected, [bytes], options);
}
