import { getTask } from '@confidant/contracts';
import { type LocalChain, startLocalChain } from '@confidant/local-chain';
import { hexToString } from 'viem';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from '../src/index.js';
import { createSimulatedExecutor } from '../src/testing.js';
import { deferred, escrowBalances, matchDeal, startTestWorker, waitFor, waitForDealTasks } from './harness.js';

let chain: LocalChain;
let worker: Worker | undefined;
beforeAll(async () => {
  chain = await startLocalChain();
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});
afterAll(() => chain?.stop());

describe("a deal on the worker's workerpool", () => {
  it('is initialized, run and finalized: the task is COMPLETED on chain and everyone is paid', async () => {
    const executor = createSimulatedExecutor();
    worker = await startTestWorker(chain, { executor });
    const before = await escrowBalances(chain);

    const { dealId, scenario } = await matchDeal(chain);
    const [row] = await waitForDealTasks(worker, dealId, 1, ['COMPLETED', 'FAILED']);
    expect(row?.status).toBe('COMPLETED');
    expect(row?.attempts).toBe(1);

    const task = await getTask(chain.client(), { taskId: row?.taskId as `0x${string}` });
    expect(task.status).toBe('COMPLETED');
    expect(task.resultDigest).toBe(row?.resultDigest);
    expect(hexToString(task.results)).toMatch(/^\{"storage":"ipfs","location":"\/ipfs\/QmSimulated/);
    expect(
      executor.runs.map((run) => ({
        taskId: run.taskId,
        app: run.app,
        dataset: run.dataset,
        requester: run.requester,
        worker: run.worker,
        maxTimeSeconds: run.maxTimeSeconds,
      })),
    ).toEqual([
      {
        taskId: row?.taskId,
        app: scenario.app,
        dataset: scenario.dataset,
        requester: chain.accounts.requester.address,
        worker: chain.accounts.worker.address,
        maxTimeSeconds: 300,
      },
    ]);

    const after = await escrowBalances(chain);
    const { app, dataset, workerpool } = scenario.prices;
    const workerReward = (workerpool * 99n) / 100n;
    expect(after.requester).toBe(before.requester - app - dataset - workerpool);
    expect(after.publisher).toBe(before.publisher + app);
    expect(after.dataOwner).toBe(before.dataOwner + dataset);
    expect(after.worker).toBe(before.worker + workerReward);
    expect(after.scheduler).toBe(before.scheduler + workerpool - workerReward);
    expect(row?.logs).toMatch(
      /initialized on chain[\s\S]*attempt 1: running in the enclave[\s\S]*app: hello from task 0[\s\S]*contributed and finalized on chain/,
    );
  });

  it('runs the tasks of one deal concurrently', async () => {
    const gate = deferred();
    let started = 0;
    const executor = createSimulatedExecutor({
      onRun: async () => {
        started++;
        await gate.promise;
      },
    });
    worker = await startTestWorker(chain, { executor, concurrency: 3 });
    const { dealId } = await matchDeal(chain, 3n);
    // All three are in the enclave at once before any may finish.
    await waitFor(async () => started === 3, 20_000, 'three runs in flight');
    gate.resolve();
    const rows = await waitForDealTasks(worker, dealId, 3, ['COMPLETED', 'FAILED']);
    expect(rows.map((row) => row.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(rows.map((row) => row.index).sort()).toEqual([0n, 1n, 2n]);
    expect(executor.maxInFlight()).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect((await getTask(chain.client(), { taskId: row.taskId as `0x${string}` })).status).toBe('COMPLETED');
  });

  it('records a failing app as FAILED with its cause in the logs, and keeps serving other deals', async () => {
    let failNext = true;
    const executor = createSimulatedExecutor({
      onRun: () => {
        if (failNext) {
          failNext = false;
          throw new TypeError('the app crashed: segmentation fault');
        }
      },
    });
    worker = await startTestWorker(chain, { executor });
    const failing = await matchDeal(chain);
    const [failed] = await waitForDealTasks(worker, failing.dealId, 1, ['COMPLETED', 'FAILED']);
    expect(failed?.status).toBe('FAILED');
    expect(failed?.cause).toBe('the enclave run failed: TypeError: the app crashed: segmentation fault');
    expect(failed?.logs).toContain('FAILED: the enclave run failed: TypeError: the app crashed: segmentation fault');
    // On chain it stays ACTIVE: PoCo's only way out is the requester's claim after the final deadline.
    expect((await getTask(chain.client(), { taskId: failed?.taskId as `0x${string}` })).status).toBe('ACTIVE');

    const next = await matchDeal(chain);
    const [completed] = await waitForDealTasks(worker, next.dealId, 1, ['COMPLETED', 'FAILED']);
    expect(completed?.status).toBe('COMPLETED');
  });

  it("records an app that exits with a cause as FAILED, with the app's own log", async () => {
    worker = await startTestWorker(chain, { executor: createSimulatedExecutor({ failWith: 'exit code 3: no input' }) });
    const { dealId } = await matchDeal(chain);
    const [failed] = await waitForDealTasks(worker, dealId, 1, ['COMPLETED', 'FAILED']);
    expect(failed?.cause).toBe('the app failed: exit code 3: no input');
    expect(failed?.logs).toMatch(/app: exit code 3: no input\n.*\[worker\] FAILED: the app failed: exit code 3: no input\n$/);
    expect(failed?.attempts).toBe(1);
  });

  it('answers /health', async () => {
    worker = await startTestWorker(chain, { executor: createSimulatedExecutor() });
    const response = await fetch(`${worker.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      workerpool: chain.workerpool.address,
      worker: chain.accounts.worker.address,
    });
    const missing = await fetch(`${worker.url}/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { name: 'RouteNotFoundError' } });
  });
});
