// Benchmark of issue 15: the iExec market API's orderbook queries and the DataProtector subgraph's
// protected data queries, as iexec 9 and @iexec/dataprotector send them, with 50 concurrent clients
// on a PostgreSQL seeded with 1M orders and 1M protected data (seed.sql, shared with the `api`
// suite), the shared-answer cache off: every request queries PostgreSQL.
import { createDb } from '@confidant/db';
import { getAddress } from 'viem';
import { freshDatabase, machineReference, measure, seed, serverUrl, sizes, startServer } from './api.mjs';

export const name = 'market';

// The API's `local` network (api-server.mjs) serves chain 31337.
const chainId = 31337;
const TDX = '0x0000000000000000000000000000000000000000000000000000000000000009';
const address = (n) => getAddress(`0x${n.toString(16).padStart(40, '0')}`);
const hash = (n) => `0x${n.toString(16).padStart(64, '0')}`;
const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));
// seed.sql: order i names app 1 + i % 100000, dataset 10000000 + i % 1000000, workerpool
// 3000000 + i / 10 % 10, requester 4000000 + i % 20000; it is a grant when i % 10 < 7, an app order when 7.
const app = (i) => address(1 + (i % 100_000));
const dataset = (i) => address(10_000_000 + (i % 1_000_000));
const workerpool = (i) => address(3_000_000 + (Math.floor(i / 10) % 10));
const requester = (i) => address(4_000_000 + (i % 20_000));
// seed.sql: protected data n belongs to 2000000 + n % 50000 (and has no schema when n % 50 = 1).
const owner = (n) => address(2_000_000 + (n % 50_000)).toLowerCase();

/** A market API query string with iexec's parameters in iexec's order (api-utils.js drops undefined). */
const market = (path, query) =>
  `${path}?${new URLSearchParams(Object.entries({ chainId, ...query }).filter(([, value]) => value !== undefined)).toString()}`;

// iexec 9 common/market/orderbook.js, as @iexec/dataprotector's processProtectedData and
// getGrantedAccess call it.
const appOrderbook = (i) =>
  market('/apporders', {
    app: app(i),
    isDatasetStrict: false,
    workerpool: workerpool(i),
    isWorkerpoolStrict: false,
    isRequesterStrict: false,
    minTag: TDX,
    pageIndex: 0,
    pageSize: 20,
  });
const datasetOrderbook = ({ dataset, app, requester, isAppStrict = false, page = 0 }) =>
  market('/datasetorders', {
    dataset,
    app,
    isAppStrict,
    isWorkerpoolStrict: false,
    requester,
    isRequesterStrict: false,
    bulkOnly: false,
    pageIndex: page,
    pageSize: 20,
  });
const workerpoolOrderbook = (i, pool) =>
  market('/workerpoolorders', {
    category: 0,
    workerpool: pool,
    app: app(i),
    isAppStrict: false,
    dataset: dataset(i),
    isDatasetStrict: false,
    requester: requester(i),
    isRequesterStrict: false,
    minTag: TDX,
    pageIndex: 0,
    pageSize: 20,
  });

// @iexec/dataprotector getProtectedData's query (graphql-request POSTs { query, variables }).
const PROTECTED_DATAS = `
      query ($start: Int!, $range: Int!, $where: ProtectedData_filter) {
        protectedDatas(
          where: $where
          skip: $start
          first: $range
          orderBy: creationTimestamp
          orderDirection: desc
        ) {
          id
          name
          owner {
            id
          }
          schema {
            id
          }
          creationTimestamp
          multiaddr
        }
      }
    `;
const protectedDatas = (filters, page, pageSize = 20) => ({
  method: 'POST',
  path: '/subgraphs/dataprotector',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    query: PROTECTED_DATAS,
    variables: { where: filters.length ? { and: filters } : undefined, start: page * pageSize, range: pageSize },
  }),
});

const someOrders = (answer) => (answer.ok && answer.orders.length > 0 ? undefined : `expected orders, got ${JSON.stringify(answer)}`);
const someData = (answer) =>
  !answer.errors && answer.data?.protectedDatas?.length > 0 ? undefined : `expected protected data, got ${JSON.stringify(answer)}`;
const found = (answer) => (answer.ok && answer.orderHash ? undefined : `expected an order, got ${JSON.stringify(answer)}`);

/** The measured routes: [label, requests, check]. Each is loaded with many distinct requests. */
function routes() {
  // Apps with TDX app orders open to any dataset (i % 10 = 7, i / 10 % 4 = 2); grants (even i, i % 10 < 7)
  // that are published (i % 17 > 0) and open to any workerpool (i / 10 % 3 <> 1).
  const appsWithOrders = range(50, (k) => 7 + 10 * (2 + 4 * ((k * 371) % 2_500)));
  const grants = range(60, (k) => 2 + 20 * ((k * 1_237) % 50_000))
    .filter((i) => i % 17 !== 0 && Math.floor(i / 10) % 3 !== 1)
    .slice(0, 50);
  return [
    ['GET /apporders of an app (fetchAppOrderbook, TDX, a workerpool; 50 apps)', appsWithOrders.map(appOrderbook), someOrders],
    [
      'GET /datasetorders of a protected data for an app and requester (processProtectedData; 50 datasets)',
      grants.map((i) => datasetOrderbook({ dataset: dataset(i), app: app(i), requester: requester(i) })),
      someOrders,
    ],
    [
      'GET /datasetorders of a protected data, any app or requester (getGrantedAccess; 50 datasets)',
      grants.map((i) => datasetOrderbook({ dataset: dataset(i), app: 'any', requester: 'any', isAppStrict: true })),
      someOrders,
    ],
    [
      'GET /datasetorders granted to an app, any dataset or requester (getGrantedAccess; 50 apps)',
      grants.map((i) => datasetOrderbook({ dataset: 'any', app: app(i), requester: 'any', isAppStrict: true })),
      someOrders,
    ],
    [
      'GET /workerpoolorders of a workerpool, category 0, TDX, for an app, dataset and requester (50 variants)',
      grants.map((i) => workerpoolOrderbook(i, workerpool(i))),
      someOrders,
    ],
    [
      'GET /workerpoolorders of any workerpool, category 0, TDX, for an app, dataset and requester (50 variants)',
      grants.map((i) => workerpoolOrderbook(i, 'any')),
      someOrders,
    ],
    ['GET /datasetorders/<hash> (50 orders)', grants.map((i) => market(`/datasetorders/${hash(i)}`, {})), found],
    [
      'subgraph: protected data by a selective schema (0.5%: score, model.weights; pages 0-9 of 20)',
      range(10, (page) => protectedDatas([{ schema_contains: ['model.weights:application/octet-stream', 'score:f64'] }], page)),
      someData,
    ],
    [
      'subgraph: protected data by a medium schema (5%: photo:image/jpeg; pages 0-9 of 20)',
      range(10, (page) => protectedDatas([{ schema_contains: ['photo:image/jpeg'] }], page)),
      someData,
    ],
    [
      'subgraph: protected data by a broad schema (60%: email:string; pages 0-9 of 20 and 40-49 of 20)',
      range(20, (k) => protectedDatas([{ schema_contains: ['email:string'] }], k < 10 ? k : 30 + k)),
      someData,
    ],
    [
      'subgraph: protected data of an owner, any schema (50 owners)',
      range(50, (k) => protectedDatas([{ owner: owner(2 + k * 950) }], 0)),
      someData,
    ],
  ];
}

export async function run() {
  const server = serverUrl();
  const url = await freshDatabase(server, 'confidant_bench_market');
  const migrated = await createDb({ url });
  await migrated.close();
  const seedMs = await seed(url);
  process.stdout.write(`seeded ${sizes.data} protected data, ${sizes.orders} orders in ${(seedMs / 1000).toFixed(1)} s\n`);
  return measureAll(url);
}

/** Every route against the API on `url`, the shared-answer cache off. */
async function measureAll(url) {
  const rows = await machineReference();
  const served = await startServer(url, 0);
  try {
    for (const [label, requests, check] of routes())
      rows.push(...(await measure(served.base, `${label}, cache off`, requests, true, { withMedian: true, check })));
  } finally {
    await served.stop();
  }
  return rows;
}
