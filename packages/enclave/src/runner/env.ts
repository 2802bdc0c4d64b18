/**
 * The one place the runner reads its host's environment: only to find the runtimes. Nothing of it
 * is handed to the app (see appEnvironment in sandbox.ts).
 */
import { execFile } from 'node:child_process';
import { BundleError } from '../errors.js';

const resolved = new Map<string, Promise<string>>();

/**
 * The absolute path of the Python interpreter a command runs (a pyenv or asdf shim resolves to the
 * real binary, so it runs under the app's clean environment).
 *
 * @example
 * const python = await resolvePython('python3'); // '/usr/bin/python3.11'
 */
export function resolvePython(command = 'python3'): Promise<string> {
  let found = resolved.get(command);
  if (!found) {
    found = new Promise<string>((resolve, reject) => {
      execFile(command, ['-c', 'import sys; print(sys.executable)'], { env: process.env, timeout: 15_000 }, (error, stdout) => {
        const path = stdout.trim();
        if (error || !path.startsWith('/'))
          reject(
            new BundleError(
              `the python runtime "${command}" could not be started`,
              'Install Python 3 on the worker, or pass `pythonPath` to the runner.',
              error ?? undefined,
            ),
          );
        else resolve(path);
      });
    });
    found.catch(() => resolved.delete(command));
    resolved.set(command, found);
  }
  return found;
}
