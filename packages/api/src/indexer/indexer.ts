import { computeTaskId, getApp, getDataset, getDeal, getTask, getWorkerpool, type PocoClient } from '@confidant/contracts';
import { apps, type Database, deals, indexerCursor, orders, protectedData, rewards, tasks, workerpools } from '@confidant/db';
import { eq, inArray, sql } from 'drizzle-orm';
import { type Address, type Hex, zeroAddress } from 'viem';
import { IndexerBehindError } from '@confidant/errors/api';
import { appRow, datasetRow, upsertApp, upsertDataset } from '../store/assets.js';
import { type AuditEntry, recordAudits } from '../store/audit.js';
import { type ChainEvent, decodeChainEvents, resultLocation } from './decode.js';

export type IndexerOptions = {
  db: Database;
  /** A read-only client of the network to follow (ideally with JSON-RPC batching). */
  poco: PocoClient;
  /** First block to index (the PoCo deployment's block). */
  startBlock: bigint;
  /** Blocks to wait before indexing one (0 on the devnet). */
  confirmations?: number | undefined;
  /** Most blocks per transaction. */
  batchBlocks?: number | undefined;
  pollIntervalMs?: number | undefined;
  /** The DataProtector contract whose `DatasetSchema` events give protected data their schema (optional). */
  dataProtector?: Address | undefined;
  /** Called with an error the loop recovered from (it retries after a pause). */
  onError?: ((error: unknown) => void) | undefined;
};

export type SyncResult = { from: bigint; to: bigint; events: number; head: bigint };

export type Indexer = {
  /** Indexes the next batch of confirmed blocks; null when already at the head. */
  syncOnce(): Promise<SyncResult | null>;
  /** Follows the chain until stop(). */
  start(): void;
  stop(): Promise<void>;
  /** Resolves once every block up to `block` is indexed. */
  waitForBlock(block: bigint, timeoutMs?: number): Promise<void>;
  /** The last indexed block (from the database). */
  lastBlock(): Promise<bigint>;
};

const CURSOR = 'poco';
const lower = (value: string) => value.toLowerCase();
const ZERO_HASH = `0x${'0'.repeat(64)}`;

/**
 * The chain indexer: reads PoCo and registry logs batch by batch and writes assets, deals, tasks,
 * order consumption and cancellations, rewards and audit rows — with the cursor, in one transaction
 * per batch, so a restart neither skips nor repeats anything.
 *
 * @example
 * const indexer = createIndexer({ db, poco, startBlock });
 * indexer.start();
 */
export function createIndexer(options: IndexerOptions): Indexer {
  const { db, poco } = options;
  const confirmations = BigInt(options.confirmations ?? 0);
  const batchBlocks = BigInt(options.batchBlocks ?? 2_000);
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  let running: Promise<void> | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;

  async function lastBlock(): Promise<bigint> {
    const [cursor] = await db
      .select({ lastBlock: indexerCursor.lastBlock })
      .from(indexerCursor)
      .where(eq(indexerCursor.id, CURSOR))
      .limit(1);
    return cursor?.lastBlock ?? options.startBlock - 1n;
  }

  async function syncOnce(): Promise<SyncResult | null> {
    const last = await lastBlock();
    const head = (await poco.publicClient.getBlockNumber()) - confirmations;
    if (head <= last) return null;
    const from = last + 1n;
    const to = head < last + batchBlocks ? head : last + batchBlocks;
    const { addresses } = poco;
    const logs = await poco.publicClient.getLogs({
      address: watchedContracts(addresses, options.dataProtector),
      fromBlock: from,
      toBlock: to,
    });
    const events = decodeChainEvents(logs, addresses, options.dataProtector);
    const facts = await readFacts(poco, events);
    const toBlock = await poco.publicClient.getBlock({ blockNumber: to });
    await db.transaction(async (tx) => {
      const batch = createBatch(tx as unknown as Database);
      for (const event of events) await apply(batch, event, facts);
      await batch.flush();
      await tx
        .insert(indexerCursor)
        .values({ id: CURSOR, chainId: poco.chain.id, lastBlock: to, lastBlockHash: toBlock.hash })
        .onConflictDoUpdate({ target: indexerCursor.id, set: { lastBlock: to, lastBlockHash: toBlock.hash, updatedAt: new Date() } });
    });
    return { from, to, events: events.length, head };
  }

  async function loop() {
    while (!stopping) {
      try {
        const result = await syncOnce();
        if (result && result.to < result.head) continue;
      } catch (error) {
        options.onError?.(error);
      }
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  return {
    syncOnce,
    lastBlock,
    start() {
      stopping = false;
      running ??= loop().finally(() => (running = undefined));
    },
    async stop() {
      stopping = true;
      wake?.();
      await running;
    },
    waitForBlock: (block, timeoutMs = 30_000) => waitForCursor(lastBlock, block, timeoutMs),
  };
}

/** The contracts whose logs the indexer reads: PoCo, its registries and the DataProtector when given. */
function watchedContracts(addresses: PocoClient['addresses'], dataProtector: Address | undefined): Address[] {
  const { poco, appRegistry, datasetRegistry, workerpoolRegistry } = addresses;
  return [poco, appRegistry, datasetRegistry, workerpoolRegistry, ...(dataProtector ? [dataProtector] : [])];
}

/** Resolves once the cursor (`lastBlock`) reaches `block`; fails after `timeoutMs` with IndexerBehindError. */
async function waitForCursor(lastBlock: () => Promise<bigint>, block: bigint, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await lastBlock()) < block) {
    if (Date.now() > deadline) throw new IndexerBehindError(block, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type Facts = {
  blockTime: Map<bigint, Date>;
  apps: Map<string, Awaited<ReturnType<typeof getApp>>>;
  datasets: Map<string, Awaited<ReturnType<typeof getDataset>>>;
  workerpools: Map<string, Awaited<ReturnType<typeof getWorkerpool>>>;
  deals: Map<string, Awaited<ReturnType<typeof getDeal>>>;
  /** The deal and index of each initialized task. */
  tasks: Map<string, { dealId: Hex; index: bigint }>;
  senders: Map<string, Address>;
};

/** Everything the events of a batch need from the chain, read in parallel (batched by the transport). */
async function readFacts(poco: PocoClient, events: ChainEvent[]): Promise<Facts> {
  const facts: Facts = {
    blockTime: new Map(),
    apps: new Map(),
    datasets: new Map(),
    workerpools: new Map(),
    deals: new Map(),
    tasks: new Map(),
    senders: new Map(),
  };
  const reads: Promise<unknown>[] = [];
  const once = <T>(map: Map<string, T>, key: string, read: () => Promise<T>) => {
    if (map.has(key)) return;
    map.set(key, undefined as T);
    reads.push(read().then((value) => map.set(key, value)));
  };
  const blocks = new Set<bigint>();
  const initialized: Hex[] = [];
  for (const event of events) {
    if (event.blockNumber !== null) {
      // Nodes that put the block's time in each log (anvil, recent clients) save a block read.
      const stamp = (event as { blockTimestamp?: bigint | null }).blockTimestamp;
      if (typeof stamp === 'bigint') facts.blockTime.set(event.blockNumber, new Date(Number(stamp) * 1000));
      else blocks.add(event.blockNumber);
    }
    if (event.eventName === 'AssetTransfer' && event.from === zeroAddress) {
      const asset = lower(event.asset);
      if (event.assetKind === 'app') once(facts.apps, asset, () => getApp(poco, { app: event.asset }));
      if (event.assetKind === 'dataset') once(facts.datasets, asset, () => getDataset(poco, { dataset: event.asset }));
      if (event.assetKind === 'workerpool') once(facts.workerpools, asset, () => getWorkerpool(poco, { workerpool: event.asset }));
    } else if (event.eventName === 'OrdersMatched') {
      once(facts.deals, lower(event.args.dealid), () => getDeal(poco, { dealId: event.args.dealid }));
    } else if (event.eventName === 'TaskInitialize') {
      initialized.push(event.args.taskid);
    } else if ((event.eventName.startsWith('Closed') || event.eventName === 'TaskClaimed') && event.transactionHash) {
      const hash = event.transactionHash;
      once(facts.senders, lower(hash), () => poco.publicClient.getTransaction({ hash }).then((t) => t.from));
    }
  }
  for (const block of blocks) {
    if (facts.blockTime.has(block)) continue;
    reads.push(
      poco.publicClient.getBlock({ blockNumber: block }).then((b) => facts.blockTime.set(block, new Date(Number(b.timestamp) * 1000))),
    );
  }
  await Promise.all(reads);
  // A task of a deal matched in this batch has a known id (keccak256(dealId, index)): no read needed.
  const known = new Map<string, { dealId: Hex; index: bigint }>();
  for (const [dealId, deal] of facts.deals) {
    if (deal.botSize > 10_000n) continue;
    for (let index = deal.botFirst; index < deal.botFirst + deal.botSize; index++)
      known.set(lower(computeTaskId(dealId as Hex, index)), { dealId: dealId as Hex, index });
  }
  await Promise.all(
    initialized.map(async (taskId) => {
      const task = known.get(lower(taskId)) ?? (await getTask(poco, { taskId }));
      facts.tasks.set(lower(taskId), { dealId: task.dealId, index: task.index });
    }),
  );
  // A task whose deal was matched before this batch: read that deal too.
  const missingDeals = [...facts.tasks.values()].map((task) => lower(task.dealId)).filter((id) => !facts.deals.has(id));
  await Promise.all(missingDeals.map(async (id) => facts.deals.set(id, await getDeal(poco, { dealId: id as Hex }))));
  return facts;
}

type EventName = ChainEvent['eventName'];
type EventOf<N extends EventName> = Extract<ChainEvent, { eventName: N }>;

/** What every handler needs besides its event: the batch, the chain facts, and where and when it happened. */
type EventContext = { batch: Batch; facts: Facts; block: bigint; at: Date; txHash: string };

/** Writes one kind of event into the batch (in chain order, inside the batch's transaction). */
type Handler<N extends EventName> = (event: EventOf<N>, context: EventContext) => Promise<void> | void;

/** Applies one event through its kind's handler; events without a handler are ignored. */
async function apply(batch: Batch, event: ChainEvent, facts: Facts): Promise<void> {
  const handler = handlers[event.eventName] as Handler<EventName> | undefined;
  if (!handler) return;
  const block = event.blockNumber ?? 0n;
  const at = facts.blockTime.get(block) ?? new Date();
  const txHash = lower(event.transactionHash ?? ZERO_HASH);
  await handler(event, { batch, facts, block, at, txHash });
}

/** A registry NFT transfer: a new owner, or (minted) a new app, dataset or workerpool. */
async function onAssetTransfer(event: EventOf<'AssetTransfer'>, { batch: { db }, facts, block, at, txHash }: EventContext): Promise<void> {
  const asset = lower(event.asset);
  const owner = lower(event.to);
  if (event.from !== zeroAddress) {
    const table = { app: apps, dataset: protectedData, workerpool: workerpools }[event.assetKind];
    await db.update(table).set({ owner, updatedAt: new Date() }).where(eq(table.address, asset));
    return;
  }
  const origin = { block, tx: txHash as Hex, at };
  if (event.assetKind === 'app') {
    const app = facts.apps.get(asset);
    if (app) await upsertApp(db, appRow(app, owner, origin));
  } else if (event.assetKind === 'dataset') {
    const dataset = facts.datasets.get(asset);
    if (dataset) await upsertDataset(db, datasetRow(dataset, owner, origin));
  } else {
    const workerpool = facts.workerpools.get(asset);
    await db
      .insert(workerpools)
      .values({ address: asset, owner, description: workerpool?.description ?? '', createdBlock: block, createdAt: at })
      .onConflictDoNothing();
  }
}

/** A deal: its row, the volume its orders consumed (filled when used up) and an audit entry. */
async function onOrdersMatched(event: EventOf<'OrdersMatched'>, { batch, facts, block, at, txHash }: EventContext): Promise<void> {
  const { db } = batch;
  const dealId = lower(event.args.dealid);
  const deal = facts.deals.get(dealId);
  if (!deal) return;
  const { appHash, datasetHash, workerpoolHash, requestHash, volume } = event.args;
  await insertDeal(db, dealId, deal, { appHash, datasetHash, workerpoolHash, requestHash }, block, txHash, at);
  batch.deals.add(dealId);
  const hashes = [appHash, deal.dataset.pointer === zeroAddress ? undefined : datasetHash, workerpoolHash, requestHash]
    .filter((h): h is Hex => h !== undefined)
    .map(lower);
  await db
    .update(orders)
    .set({
      consumed: sql`${orders.consumed} + ${volume.toString()}::numeric`,
      status: sql`case when ${orders.status} = 'cancelled' then ${orders.status} when ${orders.consumed} + ${volume.toString()}::numeric >= ${orders.volume} then 'filled'::order_status else ${orders.status} end`,
      updatedAt: new Date(),
    })
    .where(inArray(orders.hash, hashes));
  batch.audit.push({
    actor: deal.requester,
    action: 'deal.matched',
    subject: deal.dataset.pointer === zeroAddress ? deal.app.pointer : deal.dataset.pointer,
    details: {
      dealId,
      app: lower(deal.app.pointer),
      dataset: deal.dataset.pointer === zeroAddress ? null : lower(deal.dataset.pointer),
      volume: volume.toString(),
    },
    txHash,
  });
}

/** A new task (written at flush), with its deal when this batch has not written it yet. */
async function onTaskInitialize(event: EventOf<'TaskInitialize'>, { batch, facts, block, at, txHash }: EventContext): Promise<void> {
  const taskId = lower(event.args.taskid);
  const task = facts.tasks.get(taskId);
  if (!task) return;
  const dealId = lower(task.dealId);
  const deal = facts.deals.get(dealId);
  // A deal matched before the start block (or in an earlier batch) may be missing: insert it once.
  if (deal && !batch.deals.has(dealId)) {
    await insertDeal(batch.db, dealId, deal, undefined, block, txHash, at);
    batch.deals.add(dealId);
  }
  batch.newTasks.push({
    row: { taskId, dealId, index: task.index, status: 'ACTIVE', initializedAt: at, updatedBlock: block },
    app: deal ? lower(deal.app.pointer) : undefined,
  });
}

/** A task's revealed result digest. */
function onTaskReveal(event: EventOf<'TaskReveal'>, { batch, block }: EventContext): void {
  batch.updateTask(lower(event.args.taskid), { resultDigest: lower(event.args.digest), updatedBlock: block });
}

/** A completed task, with where its result is. */
function onTaskFinalize(event: EventOf<'TaskFinalize'>, { batch, block, at, txHash }: EventContext): void {
  const taskId = lower(event.args.taskid);
  batch.updateTask(taskId, {
    status: 'COMPLETED',
    resultLocation: resultLocation(event.args.results),
    completedAt: at,
    updatedBlock: block,
  });
  batch.audit.push({ actor: event.address, action: 'task.completed', subject: taskId, txHash });
}

/** A failed task, claimed back (the audit names the transaction's sender when known). */
function onTaskClaimed(event: EventOf<'TaskClaimed'>, { batch, facts, block, at, txHash }: EventContext): void {
  const taskId = lower(event.args.taskid);
  batch.updateTask(taskId, { status: 'FAILED', completedAt: at, updatedBlock: block });
  batch.audit.push({ actor: facts.senders.get(txHash) ?? event.address, action: 'task.claimed', subject: taskId, txHash });
}

type ClosedOrderName = 'ClosedAppOrder' | 'ClosedDatasetOrder' | 'ClosedWorkerpoolOrder' | 'ClosedRequestOrder';

/** A cancelled order (a revoked grant for a dataset order), closed as fully consumed. */
async function onOrderClosed(event: EventOf<ClosedOrderName>, { batch, facts, txHash }: EventContext): Promise<void> {
  const hash = lower(Object.values(event.args)[0] as string);
  const closed = await batch.db
    .update(orders)
    .set({ status: 'cancelled', consumed: sql`${orders.volume}`, updatedAt: new Date() })
    .where(eq(orders.hash, hash))
    .returning({ subject: orders.subject, kind: orders.kind });
  const kind = closed[0]?.kind ?? event.eventName.slice('Closed'.length, -'Order'.length).toLowerCase();
  batch.audit.push({
    actor: facts.senders.get(txHash) ?? zeroAddress,
    action: kind === 'dataset' ? 'grant.revoked' : `${kind}Order.cancelled`,
    subject: kind === 'dataset' && closed[0] ? closed[0].subject : hash,
    details: { hash },
    txHash,
  });
}

/** A reward paid or a stake seized (written at flush). */
function onRewardOrSeize(event: EventOf<'Reward' | 'Seize'>, { batch, block, at }: EventContext): void {
  batch.rewards.push({
    blockNumber: block,
    logIndex: event.logIndex ?? 0,
    account: lower(event.args.owner),
    kind: event.eventName === 'Reward' ? 'reward' : 'seize',
    amount: event.args.amount,
    taskId: lower(event.args.ref),
    createdAt: at,
  });
}

/**
 * A protected data's schema published by the DataProtector contract (in the transaction that minted
 * it, so after its row): stored where `protectedData.registerSchema` stores it.
 */
async function onDatasetSchema(event: EventOf<'DatasetSchema'>, { batch: { db } }: EventContext): Promise<void> {
  if (!event.schema) return;
  await db
    .update(protectedData)
    .set({ schema: event.schema, updatedAt: new Date() })
    .where(eq(protectedData.address, lower(event.dataset)));
}

/** One handler per indexed event kind. */
const handlers: { [N in EventName]?: Handler<N> } = {
  AssetTransfer: onAssetTransfer,
  OrdersMatched: onOrdersMatched,
  TaskInitialize: onTaskInitialize,
  TaskReveal: onTaskReveal,
  TaskFinalize: onTaskFinalize,
  TaskClaimed: onTaskClaimed,
  ClosedAppOrder: onOrderClosed,
  ClosedDatasetOrder: onOrderClosed,
  ClosedWorkerpoolOrder: onOrderClosed,
  ClosedRequestOrder: onOrderClosed,
  Reward: onRewardOrSeize,
  Seize: onRewardOrSeize,
  DatasetSchema: onDatasetSchema,
};

async function insertDeal(
  db: Database,
  dealId: string,
  deal: Awaited<ReturnType<typeof getDeal>>,
  hashes: { appHash: Hex; datasetHash: Hex; workerpoolHash: Hex; requestHash: Hex } | undefined,
  block: bigint,
  txHash: string,
  at: Date,
): Promise<void> {
  await db
    .insert(deals)
    .values({
      dealId,
      app: lower(deal.app.pointer),
      dataset: deal.dataset.pointer === zeroAddress ? null : lower(deal.dataset.pointer),
      workerpool: lower(deal.workerpool.pointer),
      requester: lower(deal.requester),
      beneficiary: lower(deal.beneficiary),
      appPrice: deal.app.price,
      datasetPrice: deal.dataset.price,
      workerpoolPrice: deal.workerpool.price,
      botFirst: deal.botFirst,
      volume: deal.botSize,
      category: Number(deal.category),
      tag: lower(deal.tag),
      params: deal.params,
      appOrderHash: lower(hashes?.appHash ?? ZERO_HASH),
      datasetOrderHash: lower(hashes?.datasetHash ?? ZERO_HASH),
      workerpoolOrderHash: lower(hashes?.workerpoolHash ?? ZERO_HASH),
      requestOrderHash: lower(hashes?.requestHash ?? ZERO_HASH),
      blockNumber: block,
      txHash,
      createdAt: at,
    })
    .onConflictDoNothing();
}

type TaskChange = Partial<Pick<typeof tasks.$inferInsert, 'status' | 'resultDigest' | 'resultLocation' | 'completedAt' | 'updatedBlock'>>;

/**
 * The writes of one indexed batch. Frequent rows (tasks, task changes, rewards, audit) are gathered
 * and written in a few multi-row statements at the end, inside the batch's transaction.
 */
type Batch = {
  db: Database;
  /** Deals written in this batch. */
  deals: Set<string>;
  newTasks: { row: typeof tasks.$inferInsert; app: string | undefined }[];
  rewards: (typeof rewards.$inferInsert)[];
  audit: AuditEntry[];
  updateTask(taskId: string, change: TaskChange): void;
  flush(): Promise<void>;
};

const CHUNK = 1_000;
const chunks = <T>(rows: T[]) => Array.from({ length: Math.ceil(rows.length / CHUNK) }, (_, i) => rows.slice(i * CHUNK, (i + 1) * CHUNK));

function createBatch(db: Database): Batch {
  const changes = new Map<string, TaskChange>();
  const batch: Batch = {
    db,
    deals: new Set(),
    newTasks: [],
    rewards: [],
    audit: [],
    updateTask(taskId, change) {
      changes.set(taskId, { ...changes.get(taskId), ...change });
    },
    async flush() {
      // Tasks first (their changes may concern them), counting each new task once for its app.
      const created = new Map<string, number>();
      for (const part of chunks(batch.newTasks)) {
        const inserted = await db
          .insert(tasks)
          .values(part.map((t) => t.row))
          .onConflictDoNothing()
          .returning({ taskId: tasks.taskId });
        const fresh = new Set(inserted.map((row) => row.taskId));
        for (const { row, app } of part) if (app && fresh.has(row.taskId)) created.set(app, (created.get(app) ?? 0) + 1);
      }
      for (const [app, count] of created)
        await db
          .update(apps)
          .set({ usageCount: sql`${apps.usageCount} + ${count}` })
          .where(eq(apps.address, app));
      for (const part of chunks([...changes])) await applyTaskChanges(db, part);
      for (const part of chunks(batch.rewards)) await insertRewards(db, part);
      for (const part of chunks(batch.audit)) await recordAudits(db, part);
    },
  };
  return batch;
}

/** Applies many tasks' changes in one UPDATE … FROM (VALUES …); absent fields keep their value. */
async function applyTaskChanges(db: Database, changes: [string, TaskChange][]): Promise<void> {
  if (changes.length === 0) return;
  const rows = changes.map(
    ([taskId, c]) =>
      sql`(${taskId}, ${c.status ?? null}, ${c.resultDigest ?? null}, ${c.resultLocation ?? null}, ${c.completedAt?.toISOString() ?? null}, ${c.updatedBlock?.toString() ?? null})`,
  );
  await db.execute(sql`
    update ${tasks} set
      status = coalesce(v.status::task_status, ${tasks.status}),
      result_digest = coalesce(v.digest, ${tasks.resultDigest}),
      result_location = coalesce(v.location, ${tasks.resultLocation}),
      completed_at = coalesce(v.completed::timestamptz, ${tasks.completedAt}),
      updated_block = coalesce(v.block::bigint, ${tasks.updatedBlock})
    from (values ${sql.join(rows, sql`, `)}) as v(task_id, status, digest, location, completed, block)
    where ${tasks.taskId} = v.task_id`);
}

/**
 * Inserts rewards as column arrays (`unnest`): one small statement instead of thousands of bound
 * parameters, which PostgreSQL parses far faster.
 */
async function insertRewards(db: Database, rows: (typeof rewards.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  // Each column as one PostgreSQL array literal; the values are numbers, hex, ISO dates and fixed words.
  const column = (pick: (row: typeof rewards.$inferInsert) => string | number) => `{${rows.map((row) => `"${pick(row)}"`).join(',')}}`;
  await db.execute(sql`
    insert into ${rewards} (block_number, log_index, account, kind, amount, task_id, created_at)
    select * from unnest(
      ${column((r) => r.blockNumber.toString())}::bigint[], ${column((r) => r.logIndex)}::int[], ${column((r) => r.account)}::text[],
      ${column((r) => r.kind)}::text[], ${column((r) => r.amount.toString())}::numeric[], ${column((r) => r.taskId)}::text[],
      ${column((r) => (r.createdAt as Date).toISOString())}::timestamptz[])
    on conflict do nothing`);
}
