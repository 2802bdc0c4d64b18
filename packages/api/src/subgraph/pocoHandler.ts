import type { IncomingMessage, ServerResponse } from 'node:http';
import { computeTaskId, getDeal, type GetDealReturnType, getTask, type GetTaskReturnType } from '@confidant/contracts';
import { deals, tasks } from '@confidant/db';
import { and, asc, desc, eq, type SQL } from 'drizzle-orm';
import type { Hex } from 'viem';
import type { ApiServices } from '../context.js';
import { type BulkReader, type BulkSliceContent, bulkCidOf, createBulkReader } from './bulk.js';
import { dealWhere, taskWhere, type Where } from './pocoFilter.js';
import { pocoTypeDefs } from './pocoTypeDefs.js';
import { checkPage, graphqlSchema, serveGraphQL } from './server.js';

/** Where the API serves the PoCo subgraph (`pocoSubgraphURL` of `iexec` and `@iexec/dataprotector`). */
export const POCO_SUBGRAPH_PATH = '/subgraphs/poco';

type DealRow = typeof deals.$inferSelect;
type TaskRow = typeof tasks.$inferSelect;
type ListArgs = { skip: number; first: number; orderBy?: string | null; orderDirection?: 'asc' | 'desc' | null; where?: Where | null };

/** What the resolvers share: the index, the chain's part of deals and tasks (remembered), the bulks. */
type Context = {
  db: ApiServices['db'];
  chainDeal(dealId: string): Promise<GetDealReturnType>;
  chainTask(task: TaskRow): Promise<GetTaskReturnType>;
  bulks: BulkReader;
};

/** Orders the index does not know (a deal matched before the indexer's start block) have this hash. */
const ZERO_HASH = `0x${'0'.repeat(64)}`;
const NRLC_PER_RLC = 10n ** 9n;
const CHAIN_CACHE_SIZE = 10_000;

const ref = (id: string) => ({ id });
const lower = (value: string) => value.toLowerCase();
const seconds = (date: Date) => String(Math.floor(date.getTime() / 1000));

/** nRLC as the subgraph's BigDecimal of RLC ("0.003"). */
function rlc(nrlc: bigint): string {
  const fraction = (nrlc % NRLC_PER_RLC).toString().padStart(9, '0').replace(/0+$/, '');
  return fraction ? `${nrlc / NRLC_PER_RLC}.${fraction}` : String(nrlc / NRLC_PER_RLC);
}

/** `read(key)` remembered by key (the oldest forgotten past the cache size); a failed read is not. */
function remembered<T>(read: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const known = new Map<string, Promise<T>>();
  return (key) => {
    const cached = known.get(key);
    if (cached) return cached;
    const reading = read(key);
    known.set(key, reading);
    reading.catch(() => known.delete(key));
    if (known.size > CHAIN_CACHE_SIZE) known.delete(known.keys().next().value as string);
    return reading;
  };
}

const dealOrder = {
  id: [deals.dealId],
  timestamp: [deals.createdAt, deals.blockNumber, deals.dealId],
  botFirst: [deals.botFirst, deals.dealId],
  botSize: [deals.volume, deals.dealId],
  category: [deals.category, deals.dealId],
} as const;

const taskOrder = {
  id: [tasks.taskId],
  index: [tasks.index, tasks.taskId],
  status: [tasks.status, tasks.taskId],
} as const;

async function listDeals(context: Context, args: ListArgs) {
  checkPage(args);
  const direction = args.orderDirection === 'desc' ? desc : asc;
  const columns = dealOrder[(args.orderBy ?? 'id') as keyof typeof dealOrder];
  const rows = await context.db
    .select()
    .from(deals)
    .where(dealWhere(args.where))
    .orderBy(...columns.map((column) => direction(column)))
    .limit(args.first)
    .offset(args.skip);
  return rows.map((row) => presentDeal(context, row));
}

async function listTasks(context: Context, args: ListArgs, dealId?: string) {
  checkPage(args);
  const direction = args.orderDirection === 'desc' ? desc : asc;
  const columns = taskOrder[(args.orderBy ?? 'id') as keyof typeof taskOrder];
  const conditions: (SQL | undefined)[] = [taskWhere(args.where), dealId ? eq(tasks.dealId, dealId) : undefined];
  const rows = await context.db
    .select({ task: tasks, deal: deals })
    .from(tasks)
    .innerJoin(deals, eq(tasks.dealId, deals.dealId))
    .where(and(...conditions))
    .orderBy(...columns.map((column) => direction(column)))
    .limit(args.first)
    .offset(args.skip);
  return rows.map(({ task, deal }) => presentTask(context, task, deal));
}

/** The deal's orders, by hash: null for those the index does not know. */
function dealOrders(row: DealRow) {
  const known = (hash: string) => hash !== ZERO_HASH;
  return {
    apporder: known(row.appOrderHash) ? { id: row.appOrderHash, app: ref(row.app), appprice: rlc(row.appPrice) } : null,
    datasetorder:
      row.dataset && known(row.datasetOrderHash)
        ? { id: row.datasetOrderHash, dataset: ref(row.dataset), datasetprice: rlc(row.datasetPrice) }
        : null,
    workerpoolorder: known(row.workerpoolOrderHash)
      ? { id: row.workerpoolOrderHash, workerpool: ref(row.workerpool), workerpoolprice: rlc(row.workerpoolPrice) }
      : null,
    requestorder: known(row.requestOrderHash) ? { id: row.requestOrderHash, requester: ref(row.requester) } : null,
  };
}

/** A deal row as the subgraph's `Deal`: the index's columns, the rest read from the chain when asked. */
function presentDeal(context: Context, row: DealRow) {
  const chain = () => context.chainDeal(row.dealId);
  const fromChain =
    <T>(pick: (deal: GetDealReturnType) => T) =>
    async () =>
      pick(await chain());
  const bulkCid = bulkCidOf(row);
  return {
    id: row.dealId,
    tasks: (args: ListArgs) => listTasks(context, args, row.dealId),
    app: ref(row.app),
    appOwner: fromChain((deal) => ref(lower(deal.app.owner))),
    appPrice: rlc(row.appPrice),
    dataset: row.dataset ? ref(row.dataset) : null,
    datasetOwner: fromChain((deal) => ref(lower(deal.dataset.owner))),
    datasetPrice: rlc(row.datasetPrice),
    workerpool: ref(row.workerpool),
    workerpoolOwner: fromChain((deal) => ref(lower(deal.workerpool.owner))),
    workerpoolPrice: rlc(row.workerpoolPrice),
    trust: fromChain((deal) => String(deal.trust)),
    category: ref(String(row.category)),
    tag: row.tag,
    requester: ref(row.requester),
    beneficiary: ref(row.beneficiary),
    callback: fromChain((deal) => ref(lower(deal.callback))),
    params: row.params,
    startTime: fromChain((deal) => String(deal.startTime)),
    botFirst: String(row.botFirst),
    botSize: String(row.volume),
    workerStake: fromChain((deal) => String(deal.workerStake)),
    schedulerRewardRatio: fromChain((deal) => String(deal.schedulerRewardRatio)),
    sponsor: fromChain((deal) => ref(lower(deal.sponsor))),
    timestamp: seconds(row.createdAt),
    ...dealOrders(row),
    bulk: bulkCid ? presentBulk(context, row, bulkCid) : null,
  };
}

/** A bulk deal's `Bulk` (id: the deal's, as the subgraph's); its slices are read from IPFS when asked. */
function presentBulk(context: Context, row: DealRow, bulkCid: string) {
  return {
    id: row.dealId,
    hash: bulkCid,
    deal: () => presentDeal(context, row),
    slices: async (page: { skip: number; first: number }) => {
      checkPage(page);
      const end = row.botFirst + row.volume;
      const indexes: bigint[] = [];
      for (let index = row.botFirst + BigInt(page.skip); index < end && indexes.length < page.first; index++) indexes.push(index);
      const contents = await Promise.all(indexes.map((index) => context.bulks.slice(bulkCid, index)));
      return indexes.flatMap((index, i) => {
        const content = contents[i];
        return content ? [presentSlice(context, { row, bulkCid, index, content })] : [];
      });
    },
  };
}

type SliceSource = { row: DealRow; bulkCid: string; index: bigint; content: BulkSliceContent; task?: unknown };

/** Slice `index` of a bulk deal as the subgraph's `BulkSlice` (id `<dealId>-<index>`, orders `<taskId>-<i>`). */
function presentSlice(context: Context, { row, bulkCid, index, content, task }: SliceSource) {
  const taskId = lower(computeTaskId(row.dealId as Hex, index));
  return {
    id: `${row.dealId}-${index}`,
    bulk: presentBulk(context, row, bulkCid),
    hash: content.cid,
    task: task ?? (async () => (await listTasks(context, { skip: 0, first: 1, where: { id: taskId } }))[0] ?? null),
    index: String(index),
    datasets: content.orders.map((order) => ref(order.dataset)),
    datasetOrders: content.orders.map((order, i) => ({
      ...order,
      id: `${taskId}-${i}`,
      dataset: ref(order.dataset),
      datasetprice: rlc(BigInt(order.datasetprice)),
    })),
  };
}

/** A task row (with its deal) as the subgraph's `Task`; deadlines and results are read from the chain when asked. */
function presentTask(context: Context, row: TaskRow, deal: DealRow) {
  const chain = () => context.chainTask(row);
  const completed = row.status === 'COMPLETED';
  const presented = {
    id: row.taskId,
    status: row.status === 'FAILED' ? 'FAILLED' : row.status,
    deal: () => presentDeal(context, deal),
    index: String(row.index),
    requester: ref(deal.requester),
    resultDigest: row.resultDigest,
    results: async () => (completed ? (await chain()).results : null),
    resultsCallback: async () => (completed ? (await chain()).resultsCallback : null),
    contributionDeadline: async () => String((await chain()).contributionDeadline),
    finalDeadline: async () => String((await chain()).finalDeadline),
    bulkSlice: async () => {
      const bulkCid = bulkCidOf(deal);
      if (!bulkCid) return null;
      const content = await context.bulks.slice(bulkCid, row.index);
      return content ? presentSlice(context, { row: deal, bulkCid, index: row.index, content, task: presented }) : null;
    },
  };
  return presented;
}

export type PocoSubgraphOptions = {
  /** The IPFS gateway bulk requests are read from (`Task.bulkSlice`, `Deal.bulk`). */
  ipfsGatewayUrl?: string | undefined;
};

/**
 * A PoCo-subgraph-compatible GraphQL endpoint over the API's index of deals and tasks: `deal`,
 * `deals`, `task`, `tasks` with The Graph's filters and paging, and the bulk slices of bulk deals
 * read from IPFS when asked — the query `@iexec/dataprotector`'s `inspectBulkRequest` sends. What
 * the index does not keep (owners, trust, start time, deadlines, results bytes) is read from the
 * chain when asked, once per deal or task state.
 *
 * @example
 * const poco = createPocoSubgraphHandler(services, { ipfsGatewayUrl });
 * if (url.pathname === POCO_SUBGRAPH_PATH) return poco(req, res);
 */
export function createPocoSubgraphHandler(
  services: Pick<ApiServices, 'db' | 'poco'>,
  options: PocoSubgraphOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const readTask = remembered((key) => getTask(services.poco, { taskId: key.split(':')[0] as Hex }));
  const context: Context = {
    db: services.db,
    chainDeal: remembered((dealId) => getDeal(services.poco, { dealId: dealId as Hex })),
    // Keyed by status too: results and callback appear when the task completes.
    chainTask: (task) => readTask(`${task.taskId}:${task.status}`),
    bulks: createBulkReader({ gatewayUrl: options.ipfsGatewayUrl }),
  };
  const one = <T>(list: Promise<T[]>) => list.then((found) => found[0] ?? null);
  return serveGraphQL(
    POCO_SUBGRAPH_PATH,
    graphqlSchema({
      typeDefs: pocoTypeDefs,
      resolvers: {
        Query: {
          deals: (_: unknown, args: ListArgs) => listDeals(context, args),
          deal: (_: unknown, { id }: { id: string }) => one(listDeals(context, { skip: 0, first: 1, where: { id } })),
          tasks: (_: unknown, args: ListArgs) => listTasks(context, args),
          task: (_: unknown, { id }: { id: string }) => one(listTasks(context, { skip: 0, first: 1, where: { id } })),
        },
      },
    }),
  );
}
