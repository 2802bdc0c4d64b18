import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp, createDataset, TDX_TAG } from '@confidant/contracts';
import { type Devnet, startDevnet } from '@confidant/devnet';
import type { IExec } from 'iexec';
import { type Address, keccak256, stringToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iexecOn } from '@confidant/devnet/iexec';
import { freeRequestOrder, type GraphQLClient, graphQLClientOf } from './devnetIexec.js';

// `@iexec/dataprotector`'s own inspectBulkRequest (unchanged, read from its dist: the package
// exports only its entry, whose constructor accepts iExec's chain ids only) asks the devnet API's
// PoCo subgraph (`pocoSubgraphURL` = <api origin>/subgraphs/poco) which protected data each task of
// a bulk request processes. The bulk is prepared by iExec's own `prepareDatasetBulk` into the local
// IPFS storage, matched with iExec's `matchOrders`, and its tasks initialized by the local worker.

const require = createRequire(import.meta.url);

type InspectBulkRequest = (options: {
  iexec: IExec;
  pocoSubgraphClient: GraphQLClient;
  bulkRequest: Record<string, string>;
  detailed?: boolean;
}) => Promise<{
  bulkStatus: string;
  tasksToCreateCount: number;
  tasks: { taskId: string; bulkIndex: number; status: string; protectedDataAddresses?: string[] }[];
}>;

async function sdkInspectBulkRequest(): Promise<InspectBulkRequest> {
  const entry = require.resolve('@iexec/dataprotector');
  const file = join(dirname(entry), 'lib', 'dataProtectorCore', 'inspectBulkRequest.js');
  return ((await import(pathToFileURL(file).href)) as { inspectBulkRequest: InspectBulkRequest }).inspectBulkRequest;
}

// The query of dataprotector's getProtectedDataInBulkByBulkRequestHash (2.0.0-beta.27), verbatim.
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

let devnet: Devnet;
let inspectBulkRequest: InspectBulkRequest;
let subgraphUrl: string;
beforeAll(async () => {
  [devnet, inspectBulkRequest] = await Promise.all([startDevnet(), sdkInspectBulkRequest()]);
  subgraphUrl = `${new URL(devnet.api.url).origin}/subgraphs/poco`;
}, 120_000);
afterAll(() => devnet?.stop());

const pocoSubgraphClient = graphQLClientOf(() => subgraphUrl);

/** Datasets of the data owner with bulk access (free, unlimited volume), signed by iExec's SDK. */
async function bulkAccesses(app: Address, count: number) {
  const owner = iexecOn(devnet, 'dataOwner');
  const orders = [];
  for (let i = 0; i < count; i++) {
    const { address: dataset } = await createDataset(devnet.chain.client('dataOwner'), {
      name: `bulk-${i}`,
      multiaddr: `https://storage.invalid/bulk-${i}`,
      checksum: keccak256(stringToHex(`bulk-${i}`)),
    });
    const template = await owner.order.createDatasetorder({
      dataset,
      datasetprice: 0,
      volume: Number.MAX_SAFE_INTEGER,
      apprestrict: app,
      requesterrestrict: devnet.chain.accounts.requester.address,
    });
    orders.push(await owner.order.signDatasetorder(template, { preflightCheck: false }));
  }
  return orders;
}

/** Waits until the local worker has initialized `count` tasks of the deal and the API has indexed them. */
async function waitForTasks(requestHash: string, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const data = (await pocoSubgraphClient.request('query ($r: String!) { deals(where: { requestorder: $r }) { tasks { id } } }', {
      r: requestHash,
    })) as { deals: { tasks: unknown[] }[] };
    if (data.deals.flatMap((deal) => deal.tasks).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new RangeError(`the local worker did not initialize ${count} tasks within 60 s`);
}

describe("iExec's inspectBulkRequest on Confidant's PoCo subgraph", () => {
  it("finds each task's protected data in the bulk slices iExec's SDK prepared", async () => {
    const { address: app } = await createApp(devnet.chain.client('publisher'), {
      name: 'poco-subgraph-compat',
      multiaddr: 'bundle://poco-subgraph-compat',
      checksum: keccak256(stringToHex('poco-subgraph-compat')),
    });
    const publisher = iexecOn(devnet, 'publisher');
    const apporder = await publisher.order.signApporder(await publisher.order.createApporder({ app, appprice: 0, volume: 10 }));
    const accesses = await bulkAccesses(app, 3);
    const iexec = iexecOn(devnet, 'requester');
    // `thegraphUpload` (missing from iexec 9.0.1's declarations) off: no copy to The Graph's IPFS, whatever the chain id.
    const bulkOptions = { maxDatasetPerTask: 2, thegraphUpload: false };
    const bulk = await iexec.order.prepareDatasetBulk(accesses, bulkOptions);
    expect(bulk.volume).toBe(2);
    const requestorder = await freeRequestOrder(devnet, { app, args: 'bulk', bulkCid: bulk.cid, volume: bulk.volume });
    const requestHash = (await iexec.order.hashRequestorder(requestorder as never)).toLowerCase();
    const workerpool = devnet.chain.workerpool.address;
    const pool = (await iexec.orderbook.fetchWorkerpoolOrderbook({ workerpool, category: 0, minTag: TDX_TAG })).orders[0];
    if (!pool) throw new RangeError('the local worker published no workerpool order');
    // Preflight on: the beneficiary's result key in the SMS (the request asks for encrypted results).
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await iexec.result.pushResultEncryptionKey(Buffer.from(publicKey.export({ type: 'spki', format: 'pem' })).toString('base64'), {
      forceUpdate: true,
    });
    await iexec.order.matchOrders({ apporder, workerpoolorder: pool.order, requestorder: requestorder as never });
    await waitForTasks(requestHash, bulk.volume);

    const datasets = accesses.map((order) => order.dataset.toLowerCase());
    const bulkRequest = Object.fromEntries(Object.entries(requestorder).map(([key, value]) => [key, String(value)]));
    const inspected = await inspectBulkRequest({ iexec, pocoSubgraphClient, bulkRequest, detailed: true });
    expect(inspected.tasksToCreateCount).toBe(0);
    expect(inspected.tasks.map((task) => [task.bulkIndex, task.protectedDataAddresses])).toEqual([
      [0, datasets.slice(0, 2)],
      [1, datasets.slice(2)],
    ]);

    // The same query sent as is: one deal, each task with its slice's datasets.
    const answer = (await pocoSubgraphClient.request(SDK_QUERY, { where: { requestorder: requestHash } })) as {
      deals: { tasks: { taskId: string; bulkSlice: { datasets: { id: string }[] } | null }[] }[];
    };
    expect(answer.deals).toHaveLength(1);
    const byTask = Object.fromEntries(answer.deals[0]?.tasks.map((task) => [task.taskId, task.bulkSlice?.datasets.map((d) => d.id)]) ?? []);
    expect(byTask).toEqual(Object.fromEntries(inspected.tasks.map((task) => [task.taskId, task.protectedDataAddresses])));
  }, 180_000);
});
