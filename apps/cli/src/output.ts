import { cliEnv } from './env.js';
import { BaseError } from '@confidant/errors';
import pc from 'picocolors';

/** Exit codes that mean something to scripts. */
export const EXIT = {
  ok: 0,
  /** The command failed for a reason outside the user's input (network, service). */
  failure: 1,
  /** Bad usage or input: fix the command. */
  usage: 2,
  /** Not allowed: wrong account, no grant, not the owner. */
  forbidden: 3,
  /** Something named does not exist (app, data, task). */
  notFound: 4,
  /** The user's app failed (confidant test / run). */
  appFailed: 5,
} as const;

export type GlobalOptions = { json: boolean; network: string | undefined; verbose: boolean };

/** How a command talks: human text with colours on a TTY, or one JSON document with --json. */
export type Output = {
  json: boolean;
  verbose: boolean;
  /** A line for humans (nothing with --json). */
  info(text: string): void;
  /** Details shown with --verbose only. */
  debug(text: string): void;
  success(text: string): void;
  warn(text: string): void;
  /** The command's result: JSON with --json, else `human(result)` if given. */
  result<value>(value: value, human?: (value: value) => string): void;
  /** A step list entry for long work: started, then done. */
  step(title: string): { done(detail?: string): void; fail(detail?: string): void };
};

const colors = (enabled: boolean) => (enabled ? pc : pc.createColors(false));

/** JSON for --json output: indented, bigints as decimal strings. */
const jsonText = (value: unknown) => `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;

export function createOutput(
  options: Pick<GlobalOptions, 'json' | 'verbose'>,
  stream: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream } = process,
): Output {
  const c = colors(!options.json && stream.stdout.isTTY === true && !cliEnv().noColor);
  const line = (text: string) => {
    if (!options.json) stream.stdout.write(`${text}\n`);
  };
  return {
    json: options.json,
    verbose: options.verbose,
    info: line,
    debug: (text) => {
      if (options.verbose) stream.stderr.write(`${c.dim(text)}\n`);
    },
    success: (text) => line(`${c.green('✔')} ${text}`),
    warn: (text) => stream.stderr.write(`${c.yellow('!')} ${text}\n`),
    result(value, human) {
      if (options.json) stream.stdout.write(jsonText(value));
      else if (human) stream.stdout.write(`${human(value)}\n`);
    },
    step(title) {
      const started = Date.now();
      if (!options.json) stream.stderr.write(`${c.cyan('›')} ${title}…\n`);
      return {
        done: (detail) => {
          if (!options.json)
            stream.stderr.write(`${c.green('✔')} ${title}${detail ? ` ${c.dim(detail)}` : ''} ${c.dim(`(${Date.now() - started} ms)`)}\n`);
        },
        fail: (detail) => {
          if (!options.json) stream.stderr.write(`${c.red('✖')} ${title}${detail ? `: ${detail}` : ''}\n`);
        },
      };
    },
  };
}

/** The exit code an error deserves. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof BaseError) {
    if (error.kind === 'invalid-input') return EXIT.usage;
    if (error.kind === 'forbidden' || error.kind === 'unauthenticated') return EXIT.forbidden;
    if (error.kind === 'not-found') return EXIT.notFound;
  }
  return EXIT.failure;
}

/** An error of the CLI itself (no wallet, unknown network…), with the exit code it should end with. */
export class CliError extends BaseError {
  override name = 'CliError';
  readonly exitCode: number;
  constructor(message: string, hint: string, exitCode: number = EXIT.usage) {
    super(message, {
      hints: [hint],
      kind: exitCode === EXIT.forbidden ? 'forbidden' : exitCode === EXIT.notFound ? 'not-found' : 'invalid-input',
    });
    this.exitCode = exitCode;
  }
}

/**
 * Prints an error the way every command does: what went wrong, then what to do next. With --json,
 * one document on stdout with the error's name, message, hints, exit code and, for the platform's
 * typed errors, the fields they were made from (e.g. `NotIndexedError`'s `what` and `id`).
 */
export function reportError(
  error: unknown,
  options: Pick<GlobalOptions, 'json' | 'verbose'>,
  streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream } = process,
): number {
  const code = exitCodeOf(error);
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  const hints = error instanceof BaseError ? error.hints : [];
  if (options.json) {
    const fields = error instanceof BaseError ? error.fields : undefined;
    streams.stdout.write(jsonText({ error: { name, message, hints, exitCode: code, ...(fields ? { fields } : {}) } }));
    return code;
  }
  const stream = streams.stderr;
  const c = colors(stream.isTTY === true && !cliEnv().noColor);
  stream.write(`${c.red('✖')} ${message}\n`);
  for (const hint of hints) stream.write(`  ${c.dim('→')} ${hint}\n`);
  if (options.verbose && error instanceof Error && error.stack) stream.write(`${c.dim(error.stack)}\n`);
  return code;
}
