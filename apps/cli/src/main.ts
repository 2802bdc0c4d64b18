import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';
import { EXIT } from './output.js';

/**
 * The `confidant` program. Each command lives in `commands/<name>.ts` and registers itself with
 * `register(program, run)`; `run` wraps its action with the global options, the output and the
 * error report, so every command answers --json and exits with a meaningful code.
 */
export function createProgram(): Command {
  const program = new Command('confidant')
    .description('Build, test, deploy and run confidential apps (iApps); protect and share data.')
    .option('--json', 'print one JSON document (for scripts)', false)
    .option('-n, --network <name>', 'the network to use (default: the one chosen with `confidant network use`, else local)')
    .option('-v, --verbose', 'print details and stack traces', false)
    .showHelpAfterError('(run confidant --help for the list of commands)')
    .configureOutput({ outputError: (text, write) => write(text) })
    // Usage errors (unknown command or option, missing argument) end with EXIT.usage, not 1.
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export { action } from './action.js';

const isEntry =
  import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/confidant') || process.argv[1]?.endsWith('/confidant.js');
if (isEntry) {
  // `confidant … | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  try {
    await createProgram().parseAsync(process.argv);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (process.exitCode !== EXIT.ok && process.argv.includes('--json')) {
      const message = error.message.replace(/^error: /, '');
      process.stdout.write(
        `${JSON.stringify({ error: { name: 'UsageError', message, hints: ['Run the command with --help to see its arguments and options.'], exitCode: EXIT.usage } }, null, 2)}\n`,
      );
    }
  }
}
