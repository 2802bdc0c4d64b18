import { join } from 'node:path';
import { getTask } from '@confidant/contracts';
import { type LocalChain, startLocalChain } from '@confidant/local-chain';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerDb, schema, type Worker } from '../src/index.js';
import { createSimulatedExecutor } from '../src/testing.js';
import { deferred, escrowBalances, matchDeal, startTestWorker, temporaryDir, waitFor, waitForDealTasks } from './harness.js';

let chain: LocalChain;
const running: Worker[] = [];
const folders: { remove(): void }[] = [];
beforeAll(async () => {
  chain = await startLocalChain();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((worker) => worker.stop()));
  for (const folder of folders.splice(0)) folder.remove();
});
afterAll(() => chain?.stop());

async function start(dataDir: string, executor: ReturnType<typeof createSimulatedExecutor>): Promise<Worker> {
  const worker = await startTestWorker(chain, { executor, dataDir });
  running.push(worker);
  return worker;
}

function dataDir(): string {
  const folder = temporaryDir();
  folders.push(folder);
  return folder.dir;
}

/** Stops a worker (as a crash would leave it: enclave runs abandoned, nothing more written). */
async function stop(worker: Worker): Promise<void> {
  running.splice(running.indexOf(worker), 1);
  await worker.stop();
}

describe('after a restart on the same data directory', () => {
  it('runs a task that was RUNNING again, and completes it exactly once', async () => {
    const dir = dataDir();
    const never = deferred();
    const first = await start(dir, createSimulatedExecutor({ onRun: () => never.promise }));
    const { dealId } = await matchDeal(chain);
    const [stuck] = await waitForDealTasks(first, dealId, 1, ['RUNNING']);
    // The blocked enclave run does not hold the stop.
    await stop(first);
    const before = await escrowBalances(chain);

    const executor = createSimulatedExecutor();
    const second = await start(dir, executor);
    const [row] = await waitForDealTasks(second, dealId, 1, ['COMPLETED', 'FAILED']);
    expect(row?.taskId).toBe(stuck?.taskId);
    expect(row?.status).toBe('COMPLETED');
    expect(row?.attempts).toBe(2);
    expect(executor.runs.map((run) => run.attempt)).toEqual([2]);
    expect(row?.logs).toMatch(
      /attempt 1: running[\s\S]*the worker stopped during attempt 1; running the task again[\s\S]*attempt 2: running[\s\S]*contributed and finalized/,
    );
    expect((await getTask(chain.client(), { taskId: row?.taskId as `0x${string}` })).status).toBe('COMPLETED');
    // Paid once: the worker's reward, not twice.
    const after = await escrowBalances(chain);
    expect(after.worker - before.worker).toBe((1_000_000_000n * 99n) / 100n);
  });

  it('does not contribute again a task whose contributeAndFinalize went through but was not recorded', async () => {
    const dir = dataDir();
    const first = await start(dir, createSimulatedExecutor());
    const { dealId } = await matchDeal(chain);
    const [done] = await waitForDealTasks(first, dealId, 1, ['COMPLETED']);
    await stop(first);
    // The crash this reproduces: the transaction was mined, the process died before writing COMPLETED.
    const database = await createWorkerDb({ dataDir: join(dir, 'db') });
    await database.db
      .update(schema.tasks)
      .set({ status: 'FINALIZING' })
      .where(eq(schema.tasks.taskId, done?.taskId as string));
    await database.close();

    const client = chain.client();
    const nonceBefore = await client.publicClient.getTransactionCount({ address: chain.accounts.worker.address });
    const balancesBefore = await escrowBalances(chain);
    const executor = createSimulatedExecutor();
    const second = await start(dir, executor);
    const [row] = await waitForDealTasks(second, dealId, 1, ['COMPLETED', 'FAILED']);
    expect(row?.status).toBe('COMPLETED');
    expect(row?.logs).toContain('the task is already COMPLETED on chain: nothing more to contribute');
    expect(executor.runs).toEqual([]);
    // No transaction was sent, nobody was paid again.
    expect(await client.publicClient.getTransactionCount({ address: chain.accounts.worker.address })).toBe(nonceBefore);
    expect(await escrowBalances(chain)).toEqual(balancesBefore);
  });

  it('finishes a task left FINALIZING whose transaction never left: contributes it without running it again', async () => {
    const dir = dataDir();
    // The first worker signs a result, then stops before its transaction is sent.
    const first = await start(dir, createSimulatedExecutor());
    const { dealId } = await matchDeal(chain);
    const hold = deferred();
    const originalTransaction = first.store.transition;
    first.store.transition = async (taskId, from, to, patch) => {
      const row = await originalTransaction(taskId, from, to, patch);
      if (to === 'FINALIZING') await hold.promise;
      return row;
    };
    const [finalizing] = await waitForDealTasks(first, dealId, 1, ['FINALIZING']);
    const stopping = stop(first);
    hold.resolve();
    await stopping;
    expect((await getTask(chain.client(), { taskId: finalizing?.taskId as `0x${string}` })).status).toBe('ACTIVE');

    const executor = createSimulatedExecutor();
    const second = await start(dir, executor);
    const [row] = await waitForDealTasks(second, dealId, 1, ['COMPLETED', 'FAILED']);
    expect(row?.status).toBe('COMPLETED');
    expect(row?.attempts).toBe(1);
    expect(executor.runs).toEqual([]);
    expect((await getTask(chain.client(), { taskId: row?.taskId as `0x${string}` })).resultDigest).toBe(finalizing?.resultDigest);
  });

  it('fails a task that was RUNNING when its contribution deadline has passed since', async () => {
    const dir = dataDir();
    const never = deferred();
    const first = await start(dir, createSimulatedExecutor({ onRun: () => never.promise }));
    const { dealId } = await matchDeal(chain);
    await waitForDealTasks(first, dealId, 1, ['RUNNING']);
    await stop(first);
    // Category 0 (300 s): the contribution deadline is 7 × 300 s after initialization.
    await chain.increaseTime(2_200);

    const executor = createSimulatedExecutor();
    const second = await start(dir, executor);
    const [row] = await waitForDealTasks(second, dealId, 1, ['COMPLETED', 'FAILED']);
    expect(row?.status).toBe('FAILED');
    expect(row?.cause).toBe('the worker stopped during run 1 and the contribution deadline has passed since');
    expect(executor.runs).toEqual([]);
    await waitFor(async () => (await second.store.task(row?.taskId as `0x${string}`))?.status === 'FAILED');
  });
});
