import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buildRequestOrder,
  computeTaskId,
  getPocoDomain,
  hashOrder,
  initializeTask,
  matchOrders,
  requestParams,
  signOrder,
  TDX_TAG,
} from '@confidant/contracts';
import { createTestDb } from '@confidant/db/testing';
import { type LocalChain, startLocalChain } from '@confidant/local-chain';
import { prepareTeeScenario, runTeeTask, type TeeScenario, type TeeTaskResult } from '@confidant/local-chain/testing';
import { type Address, type Hex, zeroAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, startApi } from '../src/startApi.js';
import { createBulkReader } from '../src/subgraph/bulk.js';
import { POCO_SUBGRAPH_PATH } from '../src/subgraph/pocoHandler.js';

// The query of @iexec/dataprotector's inspectBulkRequest (detailed)
// (dist/src/lib/dataProtectorCore/subgraph/getProtectedDataInBulkByBulkRequestHash.js, 2.0.0-beta.27).
const SDK_QUERY = `
    query ($where: Deal_filter) {
      deals(where: $where) {
        tasks {
          taskId: id
          bulkSlice {
            datasets {
              id
            }
          }
        }
      }
    }
  `;

const DEAL_FIELDS = `id app { id } dataset { id } workerpool { id } requester { id } beneficiary { id } botFirst botSize params tag
  category { id } startTime timestamp trust appPrice datasetPrice workerpoolPrice appOwner { id } callback { id }
  apporder { id appprice } datasetorder { id } workerpoolorder { id } requestorder { id requester { id } } bulk { id hash }`;

type Answer = {
  status: number;
  contentType: string | null;
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: string[] }[];
};

// Fake (well-formed) CIDs: the stub gateway below serves whatever it is given under any name.
const cid = (name: string) => `Qm${name.padEnd(44, 'x')}`;
const ROOT = cid('root');
const BROKEN = cid('broken');
const SLOW = cid('slow');
const OTHER_DATASET = '0x00000000000000000000000000000000000000aa';

let chain: LocalChain;
let api: Api;
let url: string;
let gateway: Server;
let gatewayUrl: string;
const documents = new Map<string, string>();
let plain: TeeScenario & TeeTaskResult;
let bulk: { scenario: TeeScenario; dealId: Hex; requestHash: string; taskIds: string[] };
let broken: { dealId: Hex; taskId: string };

async function query(text: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: text, variables }),
  });
  return { status: response.status, contentType: response.headers.get('content-type'), ...((await response.json()) as object) };
}

/** A stub IPFS gateway: `GET /ipfs/<cid>` from `documents`; BROKEN answers 500, SLOW never answers. */
async function startGateway(): Promise<void> {
  gateway = createServer((req, res) => {
    const name = req.url?.replace(/^\/ipfs\//, '') ?? '';
    if (name === SLOW) return;
    const body = documents.get(name);
    if (name === BROKEN || body === undefined) res.writeHead(name === BROKEN ? 500 : 404).end('no');
    else res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
}

/** A dataset order of a bulk slice as iexec's prepareDatasetBulk writes it (all values strings). */
const sliceOrder = (dataset: string) => ({
  dataset,
  datasetprice: '0',
  volume: '9007199254740991',
  tag: TDX_TAG,
  apprestrict: zeroAddress,
  workerpoolrestrict: zeroAddress,
  requesterrestrict: zeroAddress,
  salt: `0x${'1'.repeat(64)}`,
  sign: `0x${'ab'.repeat(65)}`,
});

/** A bulk request as dataprotector's processBulkRequest matches it: no dataset, `bulk_cid`, volume = slices. */
async function matchBulk(scenario: TeeScenario, bulkCid: string, volume: bigint) {
  const requestOrder = await signOrder(chain.client('requester'), {
    kind: 'request',
    order: buildRequestOrder({
      app: scenario.app,
      appmaxprice: scenario.prices.app,
      workerpool: scenario.workerpool,
      workerpoolmaxprice: scenario.prices.workerpool,
      requester: chain.accounts.requester.address,
      volume,
      tag: TDX_TAG,
      category: 0n,
      params: requestParams({ bulkCid, args: 'bulk' }),
    }),
  });
  const { dealId } = await matchOrders(chain.client('requester'), { ...scenario, datasetOrder: undefined, requestOrder });
  const taskIds: string[] = [];
  for (let index = 0n; index < volume; index++)
    taskIds.push((await initializeTask(chain.client('worker'), { dealId, index })).taskId.toLowerCase());
  const domain = await getPocoDomain(chain.client());
  return { dealId, requestHash: hashOrder({ domain, kind: 'request', order: requestOrder }).toLowerCase(), taskIds };
}

beforeAll(async () => {
  [chain] = await Promise.all([startLocalChain(), startGateway()]);
  api = await startApi({
    network: 'local',
    rpcUrl: chain.rpcUrl,
    addresses: chain.addresses,
    database: await createTestDb(),
    indexerStartBlock: chain.startBlock,
    cacheTtlMs: 0,
    ipfsGatewayUrl: gatewayUrl,
  });
  url = `${new URL(api.url).origin}${POCO_SUBGRAPH_PATH}`;
  const scenario = await prepareTeeScenario(chain);
  plain = { ...scenario, ...(await runTeeTask(chain, scenario)) };
  const bulkScenario = await prepareTeeScenario(chain, { volume: 2n });
  documents.set(ROOT, JSON.stringify([cid('slice0'), cid('slice1')]));
  documents.set(cid('slice0'), JSON.stringify([sliceOrder(bulkScenario.dataset), sliceOrder(OTHER_DATASET)]));
  documents.set(
    cid('slice1'),
    JSON.stringify([{ ...sliceOrder(OTHER_DATASET), salt: 'not bytes32' }, sliceOrder(OTHER_DATASET.toUpperCase())]),
  );
  bulk = { scenario: bulkScenario, ...(await matchBulk(bulkScenario, ROOT, 2n)) };
  const brokenBulk = await matchBulk(await prepareTeeScenario(chain), BROKEN, 1n);
  broken = { dealId: brokenBulk.dealId, taskId: brokenBulk.taskIds[0] as string };
  await api.indexer.waitForBlock(await chain.client().publicClient.getBlockNumber());
}, 180_000);
afterAll(async () => {
  await api?.stop();
  await chain?.stop();
  gateway?.closeAllConnections();
  await new Promise((resolve) => gateway?.close(resolve));
});

describe('PoCo subgraph', () => {
  it("answers inspectBulkRequest's query: the bulk deal's tasks with their slices' datasets", async () => {
    const answer = await query(SDK_QUERY, { where: { requestorder: bulk.requestHash } });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/json/);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({
      deals: [
        {
          tasks: [
            { taskId: bulk.taskIds[0], bulkSlice: { datasets: [{ id: bulk.scenario.dataset.toLowerCase() }, { id: OTHER_DATASET }] } },
            { taskId: bulk.taskIds[1], bulkSlice: { datasets: [{ id: OTHER_DATASET }] } },
          ].sort((a, b) => (a.taskId as string).localeCompare(b.taskId as string)),
        },
      ],
    });
  });

  it('serves a deal by id with its index and chain fields, its orders and its tasks', async () => {
    const domain = await getPocoDomain(chain.client());
    const hash = (kind: 'app' | 'dataset' | 'workerpool' | 'request') =>
      hashOrder({ domain, kind, order: plain[`${kind}Order`] as never }).toLowerCase();
    const answer = await query(
      `query ($id: ID!) { deal(id: $id) { ${DEAL_FIELDS} tasks { id status index results resultDigest bulkSlice { id } } } }`,
      {
        id: plain.dealId.toLowerCase(),
      },
    );
    expect(answer.errors).toBeUndefined();
    const deal = answer.data?.deal as Record<string, unknown>;
    const lower = (address: Address) => ({ id: address.toLowerCase() });
    expect(deal).toMatchObject({
      id: plain.dealId.toLowerCase(),
      app: lower(plain.app),
      dataset: lower(plain.dataset),
      workerpool: lower(plain.workerpool),
      requester: lower(chain.accounts.requester.address),
      beneficiary: lower(chain.accounts.requester.address),
      appOwner: lower(chain.accounts.publisher.address),
      callback: { id: zeroAddress },
      botFirst: '0',
      botSize: '1',
      category: { id: '0' },
      tag: TDX_TAG,
      // PoCo's trust is at least 1.
      trust: '1',
      appPrice: '0.003',
      datasetPrice: '0.002',
      workerpoolPrice: '1',
      params: JSON.stringify({ iexec_args: 'hello' }),
      apporder: { id: hash('app'), appprice: '0.003' },
      datasetorder: { id: hash('dataset') },
      workerpoolorder: { id: hash('workerpool') },
      requestorder: { id: hash('request'), requester: lower(chain.accounts.requester.address) },
      bulk: null,
      tasks: [
        {
          id: plain.taskId.toLowerCase(),
          status: 'COMPLETED',
          index: '0',
          results: plain.results,
          resultDigest: plain.resultDigest,
          bulkSlice: null,
        },
      ],
    });
    expect(deal.startTime).toBe(deal.timestamp);
    expect(Number(deal.timestamp)).toBeGreaterThan(1_600_000_000);
  });

  it('filters deals by requester, assets and order hashes, orders and pages them', async () => {
    const ids = async (where: Record<string, unknown>, extra = '') =>
      ((await query(`query ($where: Deal_filter) { deals(where: $where${extra}) { id } }`, { where })).data?.deals as { id: string }[]).map(
        (d) => d.id,
      );
    const all = [plain.dealId, bulk.dealId, broken.dealId].map((id) => id.toLowerCase());
    expect((await ids({ requester: chain.accounts.requester.address })).sort()).toEqual([...all].sort());
    expect(await ids({ app: plain.app })).toEqual([all[0]]);
    expect(await ids({ dataset: plain.dataset.toLowerCase() })).toEqual([all[0]]);
    expect((await ids({ dataset: zeroAddress })).sort()).toEqual([all[1], all[2]].sort());
    expect(await ids({ workerpool: plain.workerpool, dataset_not: zeroAddress })).toEqual([all[0]]);
    const domain = await getPocoDomain(chain.client());
    for (const kind of ['app', 'dataset', 'workerpool'] as const) {
      const hash = hashOrder({ domain, kind, order: plain[`${kind}Order`] as never });
      expect(await ids({ [`${kind}order`]: hash })).toEqual([all[0]]);
    }
    expect(await ids({ requestorder: `0x${'0'.repeat(64)}` })).toEqual([]);
    expect(await ids({ id_in: [all[2], all[0]], botSize_gte: 1 }, ', orderBy: timestamp, orderDirection: desc')).toEqual([all[2], all[0]]);
    expect(await ids({ or: [{ id: all[0] }, { requestorder: bulk.requestHash }] }, ', orderBy: timestamp')).toEqual([all[0], all[1]]);
    const pages = await Promise.all([0, 1, 2].map((skip) => ids({}, `, orderBy: timestamp, skip: ${skip}, first: 1`)));
    expect(pages.flat()).toEqual(all);
    expect(await ids({ timestamp_gt: 4_000_000_000 })).toEqual([]);
    expect((await ids({ category: '0', requester_in: [chain.accounts.requester.address], tag: TDX_TAG })).sort()).toEqual([...all].sort());
  });

  it('serves tasks and task(id) with the bulk slice, its dataset orders and its bulk', async () => {
    const active = await query('query ($where: Task_filter) { tasks(where: $where, orderBy: index) { id index status deal { id } } }', {
      where: { deal: bulk.dealId, status: 'ACTIVE' },
    });
    expect((active.data?.tasks as { id: string; index: string }[]).map((t) => [t.id, t.index])).toEqual([
      [bulk.taskIds[0], '0'],
      [bulk.taskIds[1], '1'],
    ]);
    const completed = await query('{ tasks(where: { status_in: [COMPLETED, FAILLED] }) { id requester { id } } }');
    expect(completed.data?.tasks).toEqual([
      { id: plain.taskId.toLowerCase(), requester: { id: chain.accounts.requester.address.toLowerCase() } },
    ]);
    const slice = `bulkSlice { id index hash task { id } datasets { id } bulk { id hash deal { id } }
      datasetOrders { id dataset { id } datasetprice volume tag apprestrict salt sign } }`;
    const answer = await query(`query ($id: ID!) { task(id: $id) { id contributionDeadline finalDeadline results ${slice} } }`, {
      id: bulk.taskIds[1],
    });
    expect(answer.errors).toBeUndefined();
    const task = answer.data?.task as Record<string, unknown>;
    expect(Number(task.finalDeadline)).toBeGreaterThan(Number(task.contributionDeadline));
    expect(task.results).toBeNull();
    expect(task.bulkSlice).toEqual({
      id: `${bulk.dealId.toLowerCase()}-1`,
      index: '1',
      hash: cid('slice1'),
      task: { id: bulk.taskIds[1] },
      datasets: [{ id: OTHER_DATASET }],
      bulk: { id: bulk.dealId.toLowerCase(), hash: ROOT, deal: { id: bulk.dealId.toLowerCase() } },
      datasetOrders: [
        {
          id: `${computeTaskId(bulk.dealId, 1n).toLowerCase()}-0`,
          dataset: { id: OTHER_DATASET },
          datasetprice: '0',
          volume: '9007199254740991',
          tag: TDX_TAG,
          apprestrict: zeroAddress,
          salt: `0x${'1'.repeat(64)}`,
          sign: `0x${'ab'.repeat(65)}`,
        },
      ],
    });
    const slices = await query('query ($id: ID!) { deal(id: $id) { bulk { slices { index task { id } datasets { id } } } } }', {
      id: bulk.dealId,
    });
    expect(
      (slices.data?.deal as { bulk: { slices: { index: string; task: { id: string } }[] } }).bulk.slices.map((s) => [s.index, s.task.id]),
    ).toEqual([
      ['0', bulk.taskIds[0]],
      ['1', bulk.taskIds[1]],
    ]);
    expect((await query('{ task(id: "0x01") { id } }')).data).toEqual({ task: null });
  });

  it('says clearly when the IPFS gateway fails to give a bulk', async () => {
    const answer = await query('query ($id: ID!) { task(id: $id) { id bulkSlice { datasets { id } } } }', { id: broken.taskId });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/json/);
    expect(answer.data).toEqual({ task: { id: broken.taskId, bulkSlice: null } });
    expect(answer.errors?.[0]?.message).toMatch(/bulk: the IPFS gateway answered 500/);
    expect(answer.errors?.[0]?.path).toEqual(['task', 'bulkSlice']);
  });

  it('refuses malformed queries, unknown fields and too deep pages with GraphQL errors, never a 500', async () => {
    const malformed = await query('{ deals(first: ) { id }');
    expect(malformed.status).toBeLessThan(500);
    expect(malformed.contentType).toMatch(/json/);
    expect(malformed.errors?.[0]?.message).toMatch(/Syntax Error/);
    const unknownField = await query('{ deals { id secret } }');
    expect(unknownField.status).toBeLessThan(500);
    expect(unknownField.errors?.[0]?.message).toMatch(/Cannot query field "secret" on type "Deal"/);
    const unknownFilter = await query('{ deals(where: { owner: "0x01" }) { id } }');
    expect(unknownFilter.errors?.[0]?.message).toMatch(/"owner" is not defined by type "Deal_filter"/);
    const deep = await query('{ deals(skip: 5001) { id } }');
    expect(deep.status).toBeLessThan(500);
    expect(deep.contentType).toMatch(/json/);
    expect(deep.errors?.[0]?.message).toMatch(/skip.*5000/);
    expect((await query('{ tasks(first: 1001) { id } }')).errors?.[0]?.message).toMatch(/first.*1000/);
    expect((await query('{ deals { tasks(skip: 6000) { id } } }')).errors?.[0]?.message).toMatch(/skip.*5000/);
    expect((await query('{ deals(where: { botFirst_gt: "soon" }) { id } }')).errors?.[0]?.message).toMatch(
      /botFirst_gt: expected a whole number/,
    );
  });
});

describe('the bulk reader', () => {
  it('caps the size and the time of a read, and needs a gateway', async () => {
    documents.set(cid('big'), JSON.stringify(['x'.repeat(2_000)]));
    const small = createBulkReader({ gatewayUrl, maxBytes: 1_000, timeoutMs: 300 });
    await expect(small.slice(cid('big'), 0n)).rejects.toThrow(/larger than 1000 bytes/);
    await expect(small.slice(SLOW, 0n)).rejects.toThrow(/no answer within 300 ms/);
    await expect(small.slice('../etc/passwd', 0n)).rejects.toThrow(/not an IPFS CID/);
    documents.set(cid('text'), 'not json');
    await expect(small.slice(cid('text'), 0n)).rejects.toThrow(/is not JSON/);
    expect(await small.slice(ROOT, 5n)).toBeNull();
    await expect(createBulkReader({}).slice(ROOT, 0n)).rejects.toThrow(/no IPFS gateway configured/);
  });
});
