import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { resolvePython } from './env.js';

/** What an app runs with: the host's `node` or `python3`, on a script of the app. */
export type AppDeclaration = {
  runtime: 'node' | 'python';
  /** The script, relative to the app's folder (`app/src/app.js` for an image unpacked there). */
  entrypoint: string;
};

/** How the app's process ended, and what it printed (bounded). */
export type AppExit = {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  /** stdout and stderr interleaved by line, prefixed `[out]`/`[err]`, the last `maxLogBytes` kept. */
  log: string;
  /** Readable reason the app failed, undefined when it exited with 0. */
  cause: string | undefined;
};

export type RunAppOptions = {
  /** The app's folder (an image's root, unpacked and verified): the entrypoint is relative to it. */
  appDir: string;
  /** Where the process starts, relative to `appDir` (default: `appDir` itself). */
  workingDir?: string | undefined;
  declaration: AppDeclaration;
  args: readonly string[];
  /** The whole environment of the app: nothing else is inherited. */
  env: Record<string, string>;
  maxTimeSeconds: number;
  memoryLimitMiB: number;
  maxLogBytes?: number | undefined;
  nodePath?: string | undefined;
  pythonPath?: string | undefined;
  onLine?: ((stream: 'stdout' | 'stderr', line: string) => void) | undefined;
};

// Runs the entrypoint as `python3 app.py args…` would, after capping the address space.
const PYTHON_WRAPPER = [
  'import os, resource, runpy, sys',
  'limit = int(sys.argv[1])',
  'resource.setrlimit(resource.RLIMIT_AS, (limit, limit))',
  'entry = sys.argv[2]',
  'sys.argv = [entry] + sys.argv[3:]',
  'sys.path.insert(0, os.path.dirname(os.path.abspath(entry)))',
  "runpy.run_path(entry, run_name='__main__')",
].join('\n');

/** The command that starts an app, with its memory limit. */
async function appCommand(
  options: Pick<RunAppOptions, 'appDir' | 'declaration' | 'args' | 'memoryLimitMiB' | 'nodePath' | 'pythonPath'>,
): Promise<{ command: string; args: string[] }> {
  const entry = join(options.appDir, options.declaration.entrypoint);
  if (options.declaration.runtime === 'node') {
    return {
      command: options.nodePath ?? process.execPath,
      args: [`--max-old-space-size=${options.memoryLimitMiB}`, entry, ...options.args],
    };
  }
  const python = options.pythonPath ?? (await resolvePython());
  return {
    command: python,
    args: ['-I', '-B', '-u', '-c', PYTHON_WRAPPER, String(options.memoryLimitMiB * 1024 * 1024), entry, ...options.args],
  };
}

/** The PATH the app gets: where its runtime is, then the system's folders. */
function appPath(command: string): string {
  return [...new Set([dirname(command), '/usr/local/bin', '/usr/bin', '/bin'])].join(':');
}

/** The app's output, bounded: the last `maxLogBytes` of lines, the tail of stderr, and whether it ran out of memory. */
function createAppLog(maxLogBytes: number, onLine: RunAppOptions['onLine']) {
  const lines: string[] = [];
  let bytes = 0;
  let dropped = 0;
  const stderrTail: string[] = [];
  let outOfMemory = false;
  return {
    keep(stream: 'stdout' | 'stderr', line: string) {
      const text = `[${stream === 'stdout' ? 'out' : 'err'}] ${line.length > 4096 ? `${line.slice(0, 4096)}…` : line}`;
      lines.push(text);
      bytes += text.length + 1;
      while (bytes > maxLogBytes && lines.length > 1) {
        const first = lines.shift() as string;
        bytes -= first.length + 1;
        dropped += first.length + 1;
      }
      if (stream === 'stderr' && /JavaScript heap out of memory|^MemoryError\b/.test(line)) outOfMemory = true;
      if (stream === 'stderr' && line.trim() !== '') {
        stderrTail.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
        if (stderrTail.length > 8) stderrTail.shift();
      }
      onLine?.(stream, line);
    },
    get outOfMemory() {
      return outOfMemory;
    },
    /** The last lines of stderr, to explain a failure. */
    tail: () => (stderrTail.length > 0 ? `; last lines of stderr:\n${stderrTail.map((line) => `  ${line}`).join('\n')}` : ''),
    text: () => (dropped > 0 ? [`[… ${dropped} bytes of earlier output dropped …]`, ...lines] : lines).join('\n'),
  };
}

/** Feeds a stream to `keep` line by line; a line without end is cut at 64 KiB so that memory stays bounded. */
function splitLines(readable: NodeJS.ReadableStream & { setEncoding(encoding: 'utf8'): unknown }, keep: (line: string) => void): void {
  let partial = '';
  readable.setEncoding('utf8');
  readable.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() as string;
    if (partial.length > 65_536) {
      lines.push(partial);
      partial = '';
    }
    for (const line of lines) keep(line);
  });
  readable.on('end', () => {
    if (partial !== '') keep(partial);
    partial = '';
  });
}

type Ending = {
  spawnError: Error | undefined;
  timedOut: boolean;
  outOfMemory: boolean;
  signal: NodeJS.Signals | null;
  exitCode: number | null;
  tail: string;
};

/** Why the app failed, in words; undefined when it exited with 0. */
function causeOf(options: Pick<RunAppOptions, 'declaration' | 'maxTimeSeconds' | 'memoryLimitMiB'>, ending: Ending): string | undefined {
  const { spawnError, timedOut, outOfMemory, signal, exitCode, tail } = ending;
  if (spawnError) return `the ${options.declaration.runtime} runtime could not be started (${spawnError.message})`;
  if (timedOut) return `the app ran past its time limit of ${options.maxTimeSeconds} s and was killed`;
  if (outOfMemory) return `the app ran out of memory (its limit is ${options.memoryLimitMiB} MiB)${tail}`;
  if (signal) return `the app was killed by ${signal}${signal === 'SIGKILL' ? ' (out of memory?)' : ''}${tail}`;
  if (exitCode !== 0) return `the app exited with code ${exitCode}${tail}`;
  return undefined;
}

/**
 * Runs the app as a child process in its own process group, with only the given environment, and
 * never waits past the time limit: on timeout the whole group is killed. A crash, a signal or a
 * non-zero exit ends with a readable cause and the last lines of stderr.
 *
 * @example
 * const exit = await runApp({ appDir, declaration, args: [], env, maxTimeSeconds: 10, memoryLimitMiB: 512 });
 */
export async function runApp(options: RunAppOptions): Promise<AppExit> {
  const { command, args } = await appCommand(options);
  const started = Date.now();
  const log = createAppLog(options.maxLogBytes ?? 1 << 20, options.onLine);

  return new Promise<AppExit>((resolve) => {
    let timedOut = false;
    let spawnError: Error | undefined;
    let settled = false;
    const child = spawn(command, args, {
      cwd: join(options.appDir, options.workingDir ?? ''),
      env: { ...options.env, PATH: options.env.PATH ?? appPath(command) },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.maxTimeSeconds * 1000);
    splitLines(child.stdout, (line) => log.keep('stdout', line));
    splitLines(child.stderr, (line) => log.keep('stderr', line));

    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const cause = causeOf(options, { spawnError, timedOut, outOfMemory: log.outOfMemory, signal, exitCode, tail: log.tail() });
      resolve({ exitCode, signal, timedOut, durationMs: Date.now() - started, log: log.text(), cause });
    };

    child.on('error', (error) => {
      spawnError = error;
      finish(null, null);
    });
    child.on('exit', (exitCode, signal) => {
      // Whatever the app left running in its group goes with it; then its pipes close.
      killGroup();
      const closeTimer = setTimeout(() => finish(exitCode, signal), 2000);
      child.once('close', () => {
        clearTimeout(closeTimer);
        finish(exitCode, signal);
      });
    });
  });
}
