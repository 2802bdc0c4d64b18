// Runs the app as a worker would (IEXEC_IN, IEXEC_OUT, the protected data file) and checks its result.
// `node --test`; `confidant test` does the same with every check of the real worker.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..');

test('the app says hello to the name in the protected data, or to its argument', () => {
  const out = mkdtempSync(join(tmpdir(), 'iexec-out-'));
  const mock = join(root, 'mock', 'protected-data');
  const withData = existsSync(join(mock, 'protected-data.zip'));
  const env = { ...process.env, IEXEC_OUT: out, IEXEC_IN: mock, ...(withData ? { IEXEC_DATASET_FILENAME: 'protected-data.zip' } : {}) };
  const run = spawnSync(process.execPath, [join(root, 'src', 'app.js'), 'Bob'], { env, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(readFileSync(join(out, 'result.txt'), 'utf8'), withData ? /^Hello, Alice!/ : /^Hello, Bob!/);
  assert.ok(JSON.parse(readFileSync(join(out, 'computed.json'), 'utf8'))['deterministic-output-path']);
});
