// Benchmark of issue "marketplace data layer and API": catalogue and orderbook queries over HTTP with
// 50 concurrent clients on a PostgreSQL seeded with 100k apps, 1M protected data and 1M orders; and
// the indexer's ingestion rate from anvil.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createIndexer } from '@confidant/api';
import {
  contributeAndFinalize,
  createPocoClient,
  initializeTask,
  matchOrders,
  signEnclaveResult,
  signWorkerAuthorization,
} from '@confidant/contracts';
import { createDb } from '@confidant/db';
import { startLocalChain } from '@confidant/local-chain';
import { prepareTeeScenario } from '@confidant/local-chain/testing';
import autocannon from 'autocannon';
import { median } from './stats.mjs';
import postgres from 'postgres';
import { http, keccak256, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';

export const name = 'api';
const here = dirname(fileURLToPath(import.meta.url));
export const sizes = { apps: 100_000, data: 1_000_000, orders: 1_000_000 };

/** A PostgreSQL server URL: DATABASE_URL, or the local server tools/scripts/postgres.sh provides. */
export function serverUrl() {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  return execFileSync('bash', [join(here, '..', 'scripts', 'postgres.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

export async function freshDatabase(url, name) {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

export async function seed(url) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const text = readFileSync(join(here, 'seed.sql'), 'utf8')
    .replaceAll(':apps', String(sizes.apps))
    .replaceAll(':data', String(sizes.data))
    .replaceAll(':orders', String(sizes.orders));
  const started = performance.now();
  await sql.unsafe(text);
  const elapsed = performance.now() - started;
  // What autovacuum would otherwise do to the fresh tables in the middle of the measurements.
  await sql.unsafe('VACUUM ANALYZE');
  await sql.end();
  return elapsed;
}

/** A request of a load: a GET path, or an autocannon request ({ method, path, headers, body }). */
const asRequest = (request) => (typeof request === 'string' ? { method: 'GET', path: request } : request);

function load(base, requests, title) {
  return new Promise((resolve, reject) => {
    autocannon({ url: base, connections: 50, duration: 10, title, requests: requests.map(asRequest) }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

const query = (procedure, input) => `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
const address = (n) => `0x${n.toString(16).padStart(40, '0')}`;
const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));

/** Starts the API in its own process on the seeded database; `cacheTtlMs` 0 turns the shared-answer cache off. */
export async function startServer(url, cacheTtlMs) {
  const server = spawn(process.execPath, [join(here, 'api-server.mjs'), url, String(cacheTtlMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const apiUrl = await new Promise((resolve, reject) => {
    server.stdout.once('data', (chunk) => resolve(chunk.toString().trim()));
    server.once('exit', (code) => reject(new Error(`the benchmark API server exited (${code})`)));
  });
  return {
    base: apiUrl.replace(/\/trpc$/, ''),
    stop: async () => {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    },
  };
}

/**
 * Loads a route with 50 clients for 10 s and returns its p99 latency and throughput (against the goals
 * 50 ms and 1000 req/s when `goals`; with `withMedian` the median latency too, for information).
 * `check` may refuse an answer of the first requests (an HTTP 200 that is still wrong).
 */
export async function measure(base, label, requests, goals, { withMedian = false, check } = {}) {
  // Every request must answer correctly before it is measured.
  for (const request of requests.slice(0, 3).map(asRequest)) {
    const answer = await fetch(base + request.path, { method: request.method, headers: request.headers, body: request.body });
    const text = await answer.text();
    if (!answer.ok) throw new Error(`${label}: HTTP ${answer.status} ${text}`);
    const refused = check?.(JSON.parse(text));
    if (refused) throw new Error(`${label}: ${refused}`);
  }
  const result = await load(base, requests, label);
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${label}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return [
    { metric: `${label}: p99 latency, 50 clients`, value: result.latency.p99, unit: 'ms', goal: goals ? 50 : undefined, better: 'lower' },
    ...(withMedian ? [{ metric: `${label}: median latency, 50 clients`, value: result.latency.p50, unit: 'ms', better: 'lower' }] : []),
    {
      metric: `${label}: throughput, 50 clients`,
      value: result.requests.average,
      unit: 'req/s',
      goal: goals ? 1000 : undefined,
      better: 'higher',
    },
  ];
}

// A plain Node HTTP server answering a fixed 2 KB JSON body: how fast this machine serves HTTP at
// all, under the same load. The routes' figures move with it from one machine (or hour) to another.
const PLAIN_SERVER = `
const body = JSON.stringify({ ok: true, orders: Array.from({ length: 20 }, (_, i) => ({ orderHash: String(i).padStart(66, '0'), remaining: 1 })) });
const server = require('node:http').createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
server.listen(0, '127.0.0.1', () => process.stdout.write('http://127.0.0.1:' + server.address().port + '\\n'));`;

/** The machine's reference figure: requests/s of a plain Node HTTP server, 50 clients, for information. */
export async function machineReference() {
  const server = spawn(process.execPath, ['-e', PLAIN_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const base = await new Promise((resolve) => server.stdout.once('data', (chunk) => resolve(chunk.toString().trim())));
    const result = await load(base, ['/'], 'plain Node HTTP server');
    return [
      {
        metric: 'machine reference: a plain Node HTTP server (fixed 2 KB answer), 50 clients',
        value: result.requests.average,
        unit: 'req/s',
        better: 'higher',
      },
    ];
  } finally {
    server.kill('SIGTERM');
  }
}

async function httpFigures(url) {
  // Each route is loaded with many distinct requests (pages, queries, apps), as many visitors would.
  const routes = [
    ['catalogue list (newest, 20 pages of 20)', range(20, (page) => query('apps.list', page ? { cursor: page * 20 } : {}))],
    [
      'catalogue full-text search (20 queries)',
      range(20, (i) =>
        query('apps.list', {
          q: `${['privacy', 'bank', 'weather', 'health', 'photos'][i % 5]} ${['score', 'report', 'forecast', 'summary'][i % 4]}`,
          sort: 'relevance',
        }),
      ),
    ],
    [
      'catalogue filtered: category, TEE, price, "works with my data" (16 variants)',
      range(16, (i) =>
        query('apps.list', {
          category: ['text', 'finance', 'data', 'health'][i % 4],
          teeFramework: ['tdx', 'scone'][i % 2],
          schema: { statement: 'application/pdf', name: 'string', email: 'string', city: 'string' },
          minPrice: (i % 4) * 1000000,
          sort: 'priceAsc',
        }),
      ),
    ],
    [
      'orderbook: grants usable by an app (50 apps)',
      range(50, (i) => query('orders.list', { kind: 'dataset', app: address(1000 + i * 37) })),
    ],
    [
      "orderbook: a requester's request orders (50 requesters)",
      range(50, (i) => query('orders.list', { kind: 'request', requester: address(4000000 + i * 13) })),
    ],
  ];
  const rows = [];
  const served = await startServer(url, 1000);
  try {
    for (const [label, paths] of routes) rows.push(...(await measure(served.base, label, paths, true)));
  } finally {
    await served.stop();
  }
  // For reference: the same catalogue list with the shared-answer cache off (every request queries PostgreSQL).
  const raw = await startServer(url, 0);
  try {
    rows.push(...(await measure(raw.base, 'catalogue list, cache off (reference, no goal)', routes[0][1], false)));
  } finally {
    await raw.stop();
  }
  return rows;
}

export async function ingestion(serverUrl) {
  const chain = await startLocalChain();
  try {
    // One deal of many tasks, each initialized and finalized: the events an active market emits.
    const tasks = 300;
    const scenario = await prepareTeeScenario(chain, { volume: BigInt(tasks) });
    const { dealId } = await matchOrders(chain.client('requester'), scenario);
    const worker = chain.client('worker');
    for (let index = 0; index < tasks; index++) {
      const { taskId } = await initializeTask(worker, { dealId, index: BigInt(index) });
      const enclave = privateKeyToAccount(generatePrivateKey());
      const resultDigest = keccak256(toHex(`result ${index}`));
      const authorizationSign = await signWorkerAuthorization(chain.accounts.scheduler.account, {
        worker: chain.accounts.worker.address,
        taskId,
        enclaveChallenge: enclave.address,
      });
      const enclaveSign = await signEnclaveResult(enclave, { worker: chain.accounts.worker.address, taskId, resultDigest });
      await contributeAndFinalize(worker, {
        taskId,
        resultDigest,
        results: toHex('{"storage":"ipfs","location":"/ipfs/QmX"}'),
        enclaveChallenge: enclave.address,
        enclaveSign,
        authorizationSign,
      });
    }
    const poco = createPocoClient({
      network: 'local',
      rpcUrl: chain.rpcUrl,
      addresses: chain.addresses,
      transport: http(chain.rpcUrl, { batch: { batchSize: 200, wait: 0 } }),
    });
    // The same history indexed three times, each into an empty database: the median is reported.
    const rates = [];
    let events = 0;
    for (let run = 0; run < 3; run++) {
      const database = await createDb({ url: await freshDatabase(serverUrl, `confidant_bench_indexer_${run}`) });
      const indexer = createIndexer({ db: database.db, poco, startBlock: chain.startBlock });
      events = 0;
      const started = performance.now();
      for (let result = await indexer.syncOnce(); result; result = await indexer.syncOnce()) events += result.events;
      rates.push(events / ((performance.now() - started) / 1000));
      await database.close();
    }
    return [
      {
        metric: `indexer ingestion from anvil (${events} events of ${tasks} tasks), median of 3`,
        value: median(rates),
        unit: 'events/s',
        goal: 5000,
        better: 'higher',
      },
    ];
  } finally {
    await chain.stop();
  }
}

export async function run() {
  const server = serverUrl();
  const catalogueUrl = await freshDatabase(server, 'confidant_bench');
  const migrated = await createDb({ url: catalogueUrl });
  await migrated.close();
  const seedMs = await seed(catalogueUrl);
  process.stdout.write(
    `seeded ${sizes.apps} apps, ${sizes.data} protected data, ${sizes.orders} orders in ${(seedMs / 1000).toFixed(1)} s\n`,
  );
  const rows = await httpFigures(catalogueUrl);
  rows.push(...(await ingestion(server)));
  return rows;
}
