#!/usr/bin/env node
// `pnpm bench` (or `npm run bench`): runs every benchmark suite against the built packages and prints
// each figure with its goal and the ratio to it. `pnpm bench devnet` runs one suite.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as api from './api.mjs';
import * as cli from './cli.mjs';
import * as devnet from './devnet.mjs';
import * as market from './market.mjs';
import * as protect from './protect.mjs';
import * as web from './web.mjs';

const suites = [devnet, api, market, protect, cli, web];
const only = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));

const format = (value, unit) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ${unit}`;

const rows = [];
for (const suite of suites.filter((s) => only.length === 0 || only.includes(s.name))) {
  process.stdout.write(`running ${suite.name}…\n`);
  for (const row of await suite.run()) rows.push({ suite: suite.name, ...row });
}

process.stdout.write('\n');
for (const row of rows) {
  if (row.goal === undefined) {
    process.stdout.write(`INFO  ${row.metric}: ${format(row.value, row.unit)}\n`);
    continue;
  }
  // ratio < 1 means better than the goal, whichever way "better" points.
  const ratio = row.better === 'lower' ? row.value / row.goal : row.goal / row.value;
  row.ratio = ratio;
  row.met = ratio <= 1;
  process.stdout.write(
    `${row.met ? 'MET ' : 'MISS'}  ${row.metric}: ${format(row.value, row.unit)} (goal ${row.better === 'lower' ? '<' : '>'} ${format(row.goal, row.unit)}, ratio ${ratio.toFixed(2)})\n`,
  );
}
const out = join(here, 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'latest.json'), `${JSON.stringify({ at: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
process.stdout.write(`\nresults written to ${join(out, 'latest.json')}\n`);
