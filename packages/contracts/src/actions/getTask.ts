import type { Address, Hex } from 'viem';
import type { PocoClient } from '../client.js';
import { TaskNotFoundError } from '../errors.js';
import { iexecPocoAbi } from '../generated/abis.js';

/** PoCo's task statuses, by their on-chain number. */
export const taskStatuses = ['UNSET', 'ACTIVE', 'REVEALING', 'COMPLETED', 'FAILED'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export type GetTaskParameters = { taskId: Hex };

export type GetTaskReturnType = {
  taskId: Hex;
  status: TaskStatus;
  dealId: Hex;
  index: bigint;
  /** The category's reference time (seconds); deadlines are multiples of it. */
  timeref: bigint;
  contributionDeadline: bigint;
  revealDeadline: bigint;
  /** After this, the requester can claim a refund of an unfinished task. */
  finalDeadline: bigint;
  consensusValue: Hex;
  contributors: readonly Address[];
  resultDigest: Hex;
  /** What the worker published as the result location (e.g. JSON `{storage, location}` bytes). */
  results: Hex;
  resultsTimestamp: bigint;
  resultsCallback: Hex;
};

/**
 * Reads a task; throws TaskNotFoundError for one that was never initialized.
 *
 * @example
 * const { status, results } = await getTask(client, { taskId });
 */
export async function getTask(client: PocoClient, { taskId }: GetTaskParameters): Promise<GetTaskReturnType> {
  const task = await client.publicClient.readContract({
    address: client.addresses.poco,
    abi: iexecPocoAbi,
    functionName: 'viewTask',
    args: [taskId],
  });
  if (task.status === 0) throw new TaskNotFoundError(taskId);
  return {
    taskId,
    status: taskStatuses[task.status] ?? 'UNSET',
    dealId: task.dealid,
    index: task.idx,
    timeref: task.timeref,
    contributionDeadline: task.contributionDeadline,
    revealDeadline: task.revealDeadline,
    finalDeadline: task.finalDeadline,
    consensusValue: task.consensusValue,
    contributors: task.contributors,
    resultDigest: task.resultDigest,
    results: task.results,
    resultsTimestamp: task.resultsTimestamp,
    resultsCallback: task.resultsCallback,
  };
}
