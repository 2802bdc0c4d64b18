import { lstat, mkdir, readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { type AppLaunch, appLaunchOf, checksumOfDigest, ImageLaunchError, openImage, unpackImage } from '@confidant/oci';
import type { Hex } from 'viem';
import { MeasurementMismatchError } from '../errors.js';

export type PrepareAppImageParameters = {
  /** The content-addressed image store the image was pulled into (`<storeDir>/blobs/sha256/<hex>`). */
  storeDir: string;
  /** The image manifest's digest, `sha256:<hex>` (the app's on-chain checksum, see digestOfChecksum). */
  digest: string;
  /** The folder the image's root is unpacked into; it should not exist yet, or be empty. */
  appDir: string;
  /** The app's on-chain checksum: when given, an image with another digest is not even read. */
  expectedMeasurement?: Hex | undefined;
};

export type PreparedAppImage = {
  /** `0x` + the verified manifest digest's hex: what the enclave's quote claims it runs. */
  measurement: Hex;
  /** How to start it: the runtime, its script and working folder (relative to `appDir`), fixed args and env. */
  launch: AppLaunch;
  /** The files (and links) the image put in `appDir`. */
  files: number;
};

const launchHint = 'Build the image with `confidant deploy` (or buildAppImage), which puts the app under /app and starts its script.';

/**
 * Prepares an app image for a run: refuses it unless its digest is the expected measurement (before
 * reading anything), opens it from the store checking every blob against its digest, unpacks its
 * layers into `appDir` (hashing them again as they are read), and reads how it starts. The script
 * must be a file of the image, and the working folder one (it is created when the image lacks it).
 *
 * @example
 * const { measurement, launch } = await prepareAppImage({ storeDir, digest: 'sha256:…', appDir, expectedMeasurement: app.checksum });
 * await runApp({ appDir, workingDir: launch.workingDir, declaration: { runtime: launch.runtime, entrypoint: launch.script }, … });
 */
export async function prepareAppImage(parameters: PrepareAppImageParameters): Promise<PreparedAppImage> {
  const { storeDir, digest, appDir, expectedMeasurement } = parameters;
  const measurement: Hex = checksumOfDigest(digest);
  if (expectedMeasurement !== undefined && expectedMeasurement.toLowerCase() !== measurement)
    throw new MeasurementMismatchError(expectedMeasurement, measurement);
  const image = await openImage({ storeDir, digest });
  const launch = appLaunchOf(image.config);
  await unpackImage(image, appDir);
  await checkLaunch(appDir, launch);
  return { measurement, launch, files: await countFiles(appDir) };
}

/** The script must be a file inside the image; the working folder a folder of it, made when missing (as Docker does). */
async function checkLaunch(appDir: string, launch: AppLaunch): Promise<void> {
  const root = await realpath(appDir);
  const script = await realpath(join(root, launch.script)).catch(() => undefined);
  if (!script || !script.startsWith(root + sep) || !(await stat(script)).isFile())
    throw new ImageLaunchError(`the image's script /${launch.script} is not a file of the image`, launchHint);
  let dir = root;
  for (const segment of launch.workingDir.split('/').filter(Boolean)) {
    dir = join(dir, segment);
    const found = await lstat(dir).catch(() => undefined);
    if (!found) await mkdir(dir, { mode: 0o755 });
    else if (!found.isDirectory())
      throw new ImageLaunchError(`the image's working directory /${launch.workingDir} is not a folder of the image`, launchHint);
  }
}

/** Counts what is not a folder under `dir`, without following links. */
async function countFiles(dir: string): Promise<number> {
  let files = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }))
    files += entry.isDirectory() ? await countFiles(join(dir, entry.name)) : 1;
  return files;
}
