import { createTestDb } from '@confidant/db/testing';
import { apps, auditLog, type Database, deals, orders, protectedData, rewards, tasks } from '@confidant/db';
import { type LocalChain, startLocalChain } from '@confidant/local-chain';
import { prepareTeeScenario, runTeeTask } from '@confidant/local-chain/testing';
import { createPocoClient, initializeTask, matchOrders } from '@confidant/contracts';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexer } from '../src/index.js';
import { interceptTransactionWrites } from './faults.js';

let chain: LocalChain;
const closers: (() => Promise<void>)[] = [];
beforeAll(async () => {
  chain = await startLocalChain();
});
afterAll(async () => {
  for (const close of closers) await close();
  await chain?.stop();
});

async function freshDb(): Promise<Database> {
  const client = await createTestDb();
  closers.push(client.close);
  return client.db;
}

/** Everything the indexer produces, without ids and wall-clock columns, in a stable order. */
async function snapshot(db: Database) {
  const strip = <T extends Record<string, unknown>>(rows: T[], ...keys: string[]) =>
    rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => !keys.includes(key))));
  return {
    apps: strip(await db.select().from(apps).orderBy(asc(apps.address)), 'updatedAt', 'search'),
    protectedData: strip(await db.select().from(protectedData).orderBy(asc(protectedData.address)), 'updatedAt'),
    deals: await db.select().from(deals).orderBy(asc(deals.dealId)),
    tasks: await db.select().from(tasks).orderBy(asc(tasks.taskId)),
    rewards: await db.select().from(rewards).orderBy(asc(rewards.blockNumber), asc(rewards.logIndex)),
    orders: strip(await db.select().from(orders).orderBy(asc(orders.hash)), 'updatedAt', 'publishedAt'),
    audit: strip(await db.select().from(auditLog).orderBy(asc(auditLog.subject), asc(auditLog.action), asc(auditLog.txHash)), 'id', 'at'),
  };
}

/** A database whose transactions fail after `writes` writes: a crash in the middle of a batch. */
function crashingAfter(db: Database, writes: number): Database {
  let left = writes;
  return interceptTransactionWrites(db, () => {
    if (left-- <= 0) throw new RangeError('simulated crash in the middle of a batch');
  });
}

describe('the indexer', () => {
  it('loses and duplicates nothing when it crashes mid-batch and restarts', async () => {
    const poco = createPocoClient({ network: 'local', rpcUrl: chain.rpcUrl, addresses: chain.addresses });
    // History: two completed tasks, one deal whose task is only initialized, one cancelled grant.
    const a = await prepareTeeScenario(chain);
    await runTeeTask(chain, a);
    await runTeeTask(chain, await prepareTeeScenario(chain));
    const c = await prepareTeeScenario(chain);
    const { dealId } = await matchOrders(chain.client('requester'), c);
    await initializeTask(chain.client('worker'), { dealId, index: 0n });

    const reference = await freshDb();
    const once = createIndexer({ db: reference, poco, startBlock: chain.startBlock });
    while (await once.syncOnce());

    // Small batches, a crash inside every other batch, a new indexer instance after each crash.
    const db = await freshDb();
    let crashes = 0;
    for (let attempt = 0; attempt < 200; attempt++) {
      const crash = attempt % 2 === 0;
      const indexer = createIndexer({
        db: crash ? crashingAfter(db, (attempt / 2) % 3) : db,
        poco,
        startBlock: chain.startBlock,
        batchBlocks: 2,
      });
      try {
        if (!(await indexer.syncOnce())) break;
      } catch (error) {
        expect((error as Error).message).toBe('simulated crash in the middle of a batch');
        crashes++;
      }
    }
    expect(crashes).toBeGreaterThanOrEqual(4);
    expect(await snapshot(db)).toEqual(await snapshot(reference));

    const indexed = await snapshot(reference);
    expect(indexed.tasks.map((t) => t.status).sort()).toEqual(['ACTIVE', 'COMPLETED', 'COMPLETED']);
    expect(indexed.deals).toHaveLength(3);
    expect(indexed.apps.find((app) => app.address === a.app.toLowerCase())).toMatchObject({
      usageCount: 1,
      owner: chain.accounts.publisher.address.toLowerCase(),
    });
    expect(indexed.rewards.filter((r) => r.kind === 'reward').length).toBe(2 * 4);
    expect(indexed.audit.filter((row) => row.action === 'deal.matched')).toHaveLength(3);
  });

  it('follows the chain while running and picks up where it stopped', async () => {
    const poco = createPocoClient({ network: 'local', rpcUrl: chain.rpcUrl, addresses: chain.addresses, pollingInterval: 20 });
    const db = await freshDb();
    const first = createIndexer({ db, poco, startBlock: chain.startBlock, pollIntervalMs: 20 });
    first.start();
    const s = await prepareTeeScenario(chain);
    const { taskId } = await runTeeTask(chain, s);
    await first.waitForBlock(await poco.publicClient.getBlockNumber());
    await first.stop();
    const stoppedAt = await first.lastBlock();

    // Activity while no indexer runs…
    const t = await prepareTeeScenario(chain);
    const second = await runTeeTask(chain, t);
    const restarted = createIndexer({ db, poco, startBlock: chain.startBlock, pollIntervalMs: 20 });
    restarted.start();
    await restarted.waitForBlock(await poco.publicClient.getBlockNumber());
    await restarted.stop();
    expect(await restarted.lastBlock()).toBeGreaterThan(stoppedAt);
    const ids = (await db.select({ taskId: tasks.taskId, status: tasks.status }).from(tasks)).map((row) => `${row.taskId}:${row.status}`);
    expect(ids).toContain(`${taskId.toLowerCase()}:COMPLETED`);
    expect(ids).toContain(`${second.taskId.toLowerCase()}:COMPLETED`);
  });

  it('waits for confirmations before indexing a block', async () => {
    const poco = createPocoClient({ network: 'local', rpcUrl: chain.rpcUrl, addresses: chain.addresses });
    const db = await freshDb();
    const indexer = createIndexer({ db, poco, startBlock: chain.startBlock, confirmations: 3 });
    while (await indexer.syncOnce());
    const head = await poco.publicClient.getBlockNumber();
    expect(await indexer.lastBlock()).toBe(head - 3n);
  });
});
