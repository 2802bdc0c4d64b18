import { type Address, type Hex, zeroAddress } from 'viem';
import type { PocoClient } from '../client.js';
import { DealNotFoundError } from '../errors.js';
import { iexecPocoAbi } from '../generated/abis.js';

export type GetDealParameters = { dealId: Hex };

type Resource = { pointer: Address; owner: Address; price: bigint };

export type GetDealReturnType = {
  dealId: Hex;
  app: Resource;
  /** `pointer` is the zero address when the deal uses no dataset. */
  dataset: Resource;
  workerpool: Resource;
  trust: bigint;
  category: bigint;
  tag: Hex;
  requester: Address;
  beneficiary: Address;
  callback: Address;
  params: string;
  startTime: bigint;
  /** Index of the deal's first task in the request order, and how many tasks it holds. */
  botFirst: bigint;
  botSize: bigint;
  workerStake: bigint;
  schedulerRewardRatio: bigint;
  sponsor: Address;
};

/**
 * Reads a deal.
 *
 * @example
 * const { app, dataset, botSize } = await getDeal(client, { dealId });
 */
export async function getDeal(client: PocoClient, { dealId }: GetDealParameters): Promise<GetDealReturnType> {
  const deal = await client.publicClient.readContract({
    address: client.addresses.poco,
    abi: iexecPocoAbi,
    functionName: 'viewDeal',
    args: [dealId],
  });
  if (deal.app.pointer === zeroAddress) throw new DealNotFoundError(dealId);
  return { dealId, ...deal };
}
