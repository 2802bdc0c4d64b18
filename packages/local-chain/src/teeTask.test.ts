import {
  decodeAssetTransfers,
  decodePocoEvents,
  getApp,
  getDataset,
  getDeal,
  getEscrowBalance,
  getRemainingVolume,
  getTask,
  verifyOrder,
} from '@confidant/contracts';
import { hexToString } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalChain, startLocalChain } from './index.js';
import { prepareTeeScenario, runTeeTask } from './testing.js';

let chain: LocalChain;
beforeAll(async () => {
  chain = await startLocalChain();
});
afterAll(() => chain?.stop());

describe('a whole TEE task on the chain', () => {
  it('completes and pays the app owner, dataset owner, worker and scheduler exactly as PoCo says', async () => {
    const client = chain.client();
    const roles = ['requester', 'publisher', 'dataOwner', 'worker', 'scheduler'] as const;
    const balances = async () =>
      Object.fromEntries(
        await Promise.all(
          roles.map(async (role) => [role, await getEscrowBalance(client, { account: chain.accounts[role].address })] as const),
        ),
      );
    const before = await balances();
    const fromBlock = await client.publicClient.getBlockNumber();

    const scenario = await prepareTeeScenario(chain);
    const { dealId, taskId, resultDigest, results } = await runTeeTask(chain, scenario);

    const task = await getTask(client, { taskId });
    expect(task.status).toBe('COMPLETED');
    expect(task.dealId).toBe(dealId);
    expect(task.resultDigest).toBe(resultDigest);
    expect(hexToString(task.results)).toBe('{"storage":"ipfs","location":"/ipfs/QmResult"}');
    expect(task.results).toBe(results);
    const deal = await getDeal(client, { dealId });
    expect(deal.app.pointer).toBe(scenario.app);
    expect(deal.dataset.pointer).toBe(scenario.dataset);
    expect(deal.requester).toBe(chain.accounts.requester.address);

    const after = await balances();
    const { app, dataset, workerpool } = scenario.prices;
    // PoCo: the worker gets the workerpool price less the scheduler's 1 %; the scheduler the rest.
    const workerReward = (workerpool * 99n) / 100n;
    expect(after.requester).toEqual({ balance: before.requester!.balance - app - dataset - workerpool, frozen: 0n });
    expect(after.publisher).toEqual({ balance: before.publisher!.balance + app, frozen: 0n });
    expect(after.dataOwner).toEqual({ balance: before.dataOwner!.balance + dataset, frozen: 0n });
    expect(after.worker).toEqual({ balance: before.worker!.balance + workerReward, frozen: 0n });
    expect(after.scheduler).toEqual({ balance: before.scheduler!.balance + workerpool - workerReward, frozen: 0n });

    // Every order of the deal is consumed: a grant of one use has none left.
    expect(await getRemainingVolume(client, { kind: 'dataset', order: scenario.datasetOrder })).toEqual({
      remaining: 0n,
      consumed: 1n,
      volume: 1n,
    });

    // The events the platform indexes decode from the chain's logs.
    const logs = await client.publicClient.getLogs({ fromBlock });
    const names = decodePocoEvents({ logs, addresses: chain.addresses }).map((event) => event.eventName);
    for (const name of [
      'OrdersMatched',
      'SchedulerNotice',
      'TaskInitialize',
      'TaskContribute',
      'TaskFinalize',
      'Lock',
      'Unlock',
      'Seize',
      'Reward',
    ]) {
      expect(names).toContain(name);
    }
    const matched = decodePocoEvents({ logs, addresses: chain.addresses }).find((event) => event.eventName === 'OrdersMatched');
    expect(matched?.args).toMatchObject({ dealid: dealId, volume: 1n });
    const created = decodeAssetTransfers({ logs, addresses: chain.addresses });
    expect(created.map(({ assetKind, asset, to }) => ({ assetKind, asset, to }))).toEqual(
      expect.arrayContaining([
        { assetKind: 'app', asset: scenario.app, to: chain.accounts.publisher.address },
        { assetKind: 'dataset', asset: scenario.dataset, to: chain.accounts.dataOwner.address },
      ]),
    );
  });

  it('reads back the registered app and dataset, and verifies each order against its owner', async () => {
    const client = chain.client();
    const scenario = await prepareTeeScenario(chain);
    const app = await getApp(client, { app: scenario.app });
    expect(app.owner).toBe(chain.accounts.publisher.address);
    expect(app.type).toBe('DOCKER');
    expect(app.mrenclave).toBe('0x');
    const dataset = await getDataset(client, { dataset: scenario.dataset });
    expect(dataset.owner).toBe(chain.accounts.dataOwner.address);
    expect(dataset.multiaddrText).toMatch(/^https:\/\/storage\.invalid\//);

    for (const [kind, order] of [
      ['app', scenario.appOrder],
      ['dataset', scenario.datasetOrder],
      ['workerpool', scenario.workerpoolOrder],
      ['request', scenario.requestOrder],
    ] as const) {
      const verdict = await verifyOrder(client, { kind, order: order as never });
      expect(verdict.valid, kind).toBe(true);
      expect(verdict.signer).toBe(verdict.expectedSigner);
    }
    // The same dataset order signed by someone else is refused.
    const forged = await verifyOrder(client, { kind: 'dataset', order: { ...scenario.datasetOrder, sign: scenario.appOrder.sign } });
    expect(forged.valid).toBe(false);
    expect(forged.expectedSigner).toBe(chain.accounts.dataOwner.address);
  });
});
