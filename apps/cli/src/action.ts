import type { Command } from 'commander';
import { createOutput, type GlobalOptions, reportError } from './output.js';

export type Action<args extends unknown[]> = (
  context: { global: GlobalOptions; output: ReturnType<typeof createOutput> },
  ...args: args
) => Promise<void>;

/** Wraps a command's action: global options, output, and errors reported with their exit code. */
export function action<args extends unknown[]>(run: Action<args>): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const global = command.optsWithGlobals() as GlobalOptions;
    const output = createOutput(global);
    try {
      await run({ global, output }, ...(args.slice(0, -1) as args));
    } catch (error) {
      process.exitCode = reportError(error, global);
    }
  };
}
