// Benchmark of issue "protected data end to end": protecting (serialise + encrypt + checksum) a
// 512 MiB file against `openssl enc -aes-256-cbc` + `sha256sum` on the same bytes, and the peak
// memory of protecting a 2 GiB file.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

export const name = 'protect';

const here = dirname(fileURLToPath(import.meta.url));
const MiB = 1024 * 1024;

/** A file of `size` random bytes at `path`, written block by block. */
export function writeRandomFile(path, size) {
  const fd = openSync(path, 'w');
  const block = randomBytes(16 * MiB);
  for (let done = 0; done < size; done += block.length) {
    // Vary each block so nothing downstream can profit from repetition.
    block.writeUInt32LE(done / block.length, 0);
    writeSync(fd, block, 0, Math.min(block.length, size - done));
  }
  closeSync(fd);
}

function protectInChild(input, output) {
  const line = execFileSync(process.execPath, [join(here, 'protect-child.mjs'), input, output], { encoding: 'utf8' });
  return JSON.parse(line.trim().split('\n').pop());
}

function timeCommand(command, args) {
  const started = performance.now();
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return (performance.now() - started) / 1000;
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'confidant-bench-protect-'));
  try {
    const input = join(dir, 'input.bin');
    const size = 512 * MiB;
    writeRandomFile(input, size);
    const key = randomBytes(32).toString('hex');
    const iv = randomBytes(16).toString('hex');
    // Warm the page cache for both sides, then alternate runs.
    execFileSync('cat', [input], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 0 });
    const ours = [];
    const reference = [];
    for (let i = 0; i < 3; i++) {
      ours.push(protectInChild(input, join(dir, 'ours.enc')).seconds);
      const encrypt = timeCommand('openssl', ['enc', '-aes-256-cbc', '-K', key, '-iv', iv, '-in', input, '-out', join(dir, 'openssl.enc')]);
      const checksum = timeCommand('sha256sum', [join(dir, 'openssl.enc')]);
      reference.push(encrypt + checksum);
    }
    rmSync(join(dir, 'ours.enc'));
    rmSync(join(dir, 'openssl.enc'));
    rmSync(input);
    const oursRate = size / MiB / median(ours);
    const referenceRate = size / MiB / median(reference);

    // 2 GiB, sparse: the memory question does not depend on the bytes.
    const large = join(dir, 'large.bin');
    closeSync(openSync(large, 'w'));
    truncateSync(large, 2048 * MiB);
    const largeRun = protectInChild(large, '/dev/null');

    return [
      {
        metric: 'protect 512 MiB (serialise + encrypt + checksum), median of 3',
        value: oursRate,
        unit: 'MiB/s',
        goal: 0.8 * referenceRate,
        better: 'higher',
      },
      { metric: 'openssl enc -aes-256-cbc + sha256sum on the same bytes, median of 3', value: referenceRate, unit: 'MiB/s' },
      { metric: 'throughput ratio protect / openssl (goal >= 0.8)', value: oursRate / referenceRate, unit: 'x' },
      { metric: 'peak RSS protecting a 2 GiB file', value: largeRun.maxRssBytes / MiB, unit: 'MiB', goal: 150, better: 'lower' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
