import { join } from 'node:path';
import { readTaskEnv, type TaskEnv } from './env.js';
import { TaskEnvironmentError } from './errors.js';

/**
 * The app's arguments: the request's `iexec_args`, split as a shell would, given as the command's
 * arguments (protocol §5).
 *
 * @example
 * const [name = 'world'] = getArgs();
 */
export function getArgs(argv: readonly string[] = process.argv): string[] {
  return argv.slice(2);
}

/** An input file the requester gave by URL, downloaded by pre-compute. */
export type InputFile = {
  /** Its position in the request, from 1. */
  index: number;
  /** Its file name: `0x` + sha256 of its URL. */
  name: string;
  /** Where it is on disk. */
  path: string;
};

/**
 * The input files of the task, in the request's order.
 *
 * @example
 * for (const file of getInputFiles()) console.log(file.name, readFileSync(file.path).length);
 */
export function getInputFiles(env: TaskEnv = readTaskEnv()): InputFile[] {
  if (env.inputFileNames.length === 0) return [];
  const folder = env.inputFilesFolder;
  if (!folder) throw new TaskEnvironmentError('IEXEC_INPUT_FILES_FOLDER');
  return env.inputFileNames.map((name, i) => ({ index: i + 1, name, path: join(folder, name) }));
}

/**
 * A requester secret by its index in the request's `iexec_secrets`, or undefined when not given.
 *
 * @example
 * const apiKey = getRequesterSecret(1);
 */
export function getRequesterSecret(index: number, env: TaskEnv = readTaskEnv()): string | undefined {
  return env.requesterSecrets.get(index);
}

/**
 * Every requester secret, by index.
 *
 * @example
 * for (const [index, value] of getRequesterSecrets()) use(index, value);
 */
export function getRequesterSecrets(env: TaskEnv = readTaskEnv()): Map<number, string> {
  return new Map(env.requesterSecrets);
}

/**
 * The app developer's secret (set once for the app in the SMS), or undefined.
 *
 * @example
 * const token = getAppDeveloperSecret();
 */
export function getAppDeveloperSecret(env: TaskEnv = readTaskEnv()): string | undefined {
  return env.appDeveloperSecret;
}
