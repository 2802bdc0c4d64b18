import type { Hash, Hex } from 'viem';
import { type PocoClient, requireWallet } from '../client.js';
import { TaskStateError } from '../errors.js';
import { iexecPocoAbi } from '../generated/abis.js';
import { writeAndWait } from '../internal/write.js';
import { getTask } from './getTask.js';

export type ClaimTaskParameters = { taskId: Hex };
export type ClaimTaskReturnType = { hash: Hash };

/**
 * Fails an unfinished task after its final deadline, refunding the requester and releasing stakes.
 *
 * @example
 * await claimTask(requester, { taskId });
 */
export async function claimTask(client: PocoClient, { taskId }: ClaimTaskParameters): Promise<ClaimTaskReturnType> {
  const wallet = requireWallet(client, 'claiming a task');
  const { hash } = await writeAndWait(
    wallet,
    'claiming a task',
    { address: client.addresses.poco, abi: iexecPocoAbi, functionName: 'claim', args: [taskId] },
    async () => {
      const task = await getTask(client, { taskId });
      if (task.status !== 'ACTIVE' && task.status !== 'REVEALING') {
        return new TaskStateError(taskId, `the task is ${task.status}`, 'Only an unfinished task can be claimed.');
      }
      const block = await client.publicClient.getBlock();
      if (task.finalDeadline > block.timestamp) {
        const wait = task.finalDeadline - block.timestamp;
        return new TaskStateError(
          taskId,
          `the final deadline is in ${wait} s`,
          `Claim after ${new Date(Number(task.finalDeadline) * 1000).toISOString()}.`,
        );
      }
      return undefined;
    },
  );
  return { hash };
}
