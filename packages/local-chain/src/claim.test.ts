import { claimTask, getEscrowBalance, getTask, initializeTask, matchOrders, TaskStateError } from '@confidant/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalChain, startLocalChain } from './index.js';
import { prepareTeeScenario } from './testing.js';

let chain: LocalChain;
beforeAll(async () => {
  chain = await startLocalChain();
});
afterAll(() => chain?.stop());

it('claim() after the final deadline refunds the requester, and not before', async () => {
  const client = chain.client();
  const requester = chain.accounts.requester.address;
  const scheduler = chain.accounts.scheduler.address;
  const [requesterBefore, schedulerBefore] = await Promise.all([
    getEscrowBalance(client, { account: requester }),
    getEscrowBalance(client, { account: scheduler }),
  ]);
  const scenario = await prepareTeeScenario(chain);
  const { dealId } = await matchOrders(chain.client('requester'), scenario);
  const { taskId } = await initializeTask(chain.client('worker'), { dealId, index: 0n });
  const price = scenario.prices.app + scenario.prices.dataset + scenario.prices.workerpool;
  expect(await getEscrowBalance(client, { account: requester })).toEqual({ balance: requesterBefore.balance - price, frozen: price });

  const early = await claimTask(chain.client('requester'), { taskId }).catch((e: unknown) => e);
  expect(early).toBeInstanceOf(TaskStateError);
  expect((early as TaskStateError).shortMessage).toMatch(new RegExp(`^task ${taskId}: the final deadline is in \\d+ s$`));

  // Category 0 (XS) has a 300 s reference time; the final deadline is 10 times that.
  const task = await getTask(client, { taskId });
  expect(task.finalDeadline - task.contributionDeadline).toBe(3n * 300n);
  await chain.increaseTime(3_000);
  await claimTask(chain.client('requester'), { taskId });

  expect((await getTask(client, { taskId })).status).toBe('FAILED');
  expect(await getEscrowBalance(client, { account: requester })).toEqual(requesterBefore);
  // The workerpool owner's stake (30 % of its price) is seized for failing to deliver.
  const stake = (scenario.prices.workerpool * 30n) / 100n;
  expect(await getEscrowBalance(client, { account: scheduler })).toEqual({ balance: schedulerBefore.balance - stake, frozen: 0n });
});
