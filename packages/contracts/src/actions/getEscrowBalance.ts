import type { Address } from 'viem';
import type { PocoClient } from '../client.js';
import { iexecPocoAbi } from '../generated/abis.js';

export type GetEscrowBalanceParameters = { account: Address };

export type GetEscrowBalanceReturnType = {
  /** Free nRLC: can pay for deals or be withdrawn. */
  balance: bigint;
  /** Frozen nRLC: locked by running deals (requester payments, workerpool and worker stakes). */
  frozen: bigint;
};

/**
 * An account's escrow: free and frozen RLC in the PoCo diamond.
 *
 * @example
 * const { balance, frozen } = await getEscrowBalance(client, { account: requester });
 */
export async function getEscrowBalance(client: PocoClient, { account }: GetEscrowBalanceParameters): Promise<GetEscrowBalanceReturnType> {
  const { stake, locked } = await client.publicClient.readContract({
    address: client.addresses.poco,
    abi: iexecPocoAbi,
    functionName: 'viewAccount',
    args: [account],
  });
  return { balance: stake, frozen: locked };
}
