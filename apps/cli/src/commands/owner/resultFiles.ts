import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { CliError } from '../../output.js';

export type WrittenFile = { path: string; file: string; bytes: number; text?: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Writes a task's result files under `out`; small text files are also returned for printing. */
export function writeResultFiles(out: string, files: Record<string, Uint8Array>): WrittenFile[] {
  const root = resolve(out);
  const written: WrittenFile[] = [];
  for (const [path, bytes] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const clean = normalize(path);
    if (isAbsolute(clean) || clean.startsWith('..'))
      throw new CliError(
        `the result holds a file outside its folder (${path.slice(0, 80)})`,
        'Do not trust this result; report the app to its publisher.',
      );
    const file = join(root, clean);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    let text: string | undefined;
    if (bytes.length <= 4096) {
      try {
        text = decoder.decode(bytes);
      } catch {
        text = undefined;
      }
    }
    written.push({ path, file, bytes: bytes.length, ...(text !== undefined ? { text } : {}) });
  }
  return written;
}

export function formatFiles(files: WrittenFile[]): string {
  return files.map((f) => `  ${f.path} (${f.bytes} bytes)${f.text !== undefined ? `\n${f.text.replace(/^/gm, '    │ ')}` : ''}`).join('\n');
}
