#!/usr/bin/env node
// The tools project ships no build output: its `build` checks that every script and benchmark parses.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let failed = 0;
for (const folder of ['scripts', 'bench']) {
  for (const file of readdirSync(join(root, folder)).filter((name) => name.endsWith('.mjs'))) {
    const result = spawnSync(process.execPath, ['--check', join(root, folder, file)], { stdio: 'inherit' });
    if (result.status !== 0) failed++;
  }
}
process.exit(failed ? 1 : 0);
