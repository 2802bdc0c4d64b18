import type { Address } from 'viem';
import type { PocoClient } from '../client.js';
import { AssetNotFoundError } from '../errors.js';
import { iexecPocoAbi, workerpoolRegistryAbi } from '../generated/abis.js';

export type GetWorkerpoolParameters = { workerpool: Address };

export type GetWorkerpoolReturnType = {
  address: Address;
  /** The scheduler: signs worker authorizations and is paid the scheduler reward. */
  owner: Address;
  description: string;
  /** Percent of the workerpool price a worker stakes per task. */
  workerStakeRatio: bigint;
  /** Percent of the workerpool price kept by the scheduler. */
  schedulerRewardRatio: bigint;
};

/**
 * Reads a registered workerpool and its reward policy.
 *
 * @example
 * const { owner } = await getWorkerpool(client, { workerpool });
 */
export async function getWorkerpool(client: PocoClient, { workerpool }: GetWorkerpoolParameters): Promise<GetWorkerpoolReturnType> {
  const registered = await client.publicClient.readContract({
    address: client.addresses.workerpoolRegistry,
    abi: workerpoolRegistryAbi,
    functionName: 'isRegistered',
    args: [workerpool],
  });
  if (!registered) throw new AssetNotFoundError('workerpool', workerpool);
  const view = await client.publicClient.readContract({
    address: client.addresses.poco,
    abi: iexecPocoAbi,
    functionName: 'viewWorkerpool',
    args: [workerpool],
  });
  return {
    address: workerpool,
    owner: view.owner,
    description: view.m_workerpoolDescription,
    workerStakeRatio: view.m_workerStakeRatioPolicy,
    schedulerRewardRatio: view.m_schedulerRewardRatioPolicy,
  };
}
