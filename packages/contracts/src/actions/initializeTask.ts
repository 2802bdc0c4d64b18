import type { Hash, Hex } from 'viem';
import { type PocoClient, requireWallet } from '../client.js';
import { TaskStateError } from '../errors.js';
import { iexecPocoAbi } from '../generated/abis.js';
import { writeAndWait } from '../internal/write.js';
import { computeTaskId } from '../taskId.js';
import { getDeal } from './getDeal.js';

export type InitializeTaskParameters = {
  dealId: Hex;
  /** Index of the task in the request order (the deal's botFirst for its first task). */
  index: bigint;
};

export type InitializeTaskReturnType = { taskId: Hex; hash: Hash };

/**
 * Initializes a task of a deal, starting its deadlines (anyone may call it; workers do).
 *
 * @example
 * const { taskId } = await initializeTask(worker, { dealId, index: 0n });
 */
export async function initializeTask(client: PocoClient, { dealId, index }: InitializeTaskParameters): Promise<InitializeTaskReturnType> {
  const wallet = requireWallet(client, 'initializing a task');
  const taskId = computeTaskId(dealId, index);
  const { hash } = await writeAndWait(
    wallet,
    'initializing a task',
    { address: client.addresses.poco, abi: iexecPocoAbi, functionName: 'initialize', args: [dealId, index] },
    async () => {
      const deal = await getDeal(client, { dealId });
      if (index < deal.botFirst || index >= deal.botFirst + deal.botSize) {
        return new TaskStateError(
          taskId,
          `index ${index} is outside the deal (tasks ${deal.botFirst} to ${deal.botFirst + deal.botSize - 1n})`,
          "Initialize one of the deal's own task indexes.",
        );
      }
      return new TaskStateError(taskId, 'the task is already initialized', 'Use getTask to follow it; a task is initialized once.');
    },
  );
  return { taskId, hash };
}
