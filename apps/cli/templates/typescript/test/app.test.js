// Runs the compiled app (`confidant test` compiles src/ into .confidant/build) as a worker would and
// checks its result. `confidant test && node --test test/`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..');

test('the app says hello to the name in the protected data, or to its argument', (t) => {
  const app = join(root, '.confidant', 'build', 'app.js');
  if (!existsSync(app)) return t.skip('run `confidant test` first: it compiles src/ to .confidant/build');
  const out = mkdtempSync(join(tmpdir(), 'iexec-out-'));
  const mock = join(root, 'mock', 'protected-data');
  const withData = existsSync(join(mock, 'protected-data.zip'));
  const env = { ...process.env, IEXEC_OUT: out, IEXEC_IN: mock, ...(withData ? { IEXEC_DATASET_FILENAME: 'protected-data.zip' } : {}) };
  const run = spawnSync(process.execPath, [app, 'Bob'], { env, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(readFileSync(join(out, 'result.txt'), 'utf8'), withData ? /^Hello, Alice!/ : /^Hello, Bob!/);
});
