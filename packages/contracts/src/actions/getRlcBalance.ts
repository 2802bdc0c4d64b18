import type { Address } from 'viem';
import type { PocoClient } from '../client.js';
import { rlcAbi } from '../generated/abis.js';

export type GetRlcBalanceParameters = { account: Address };
export type GetRlcBalanceReturnType = bigint;

/**
 * An account's RLC token balance (nRLC, outside the escrow).
 *
 * @example
 * const nRlc = await getRlcBalance(client, { account });
 */
export function getRlcBalance(client: PocoClient, { account }: GetRlcBalanceParameters): Promise<GetRlcBalanceReturnType> {
  return client.publicClient.readContract({
    address: client.addresses.rlc,
    abi: rlcAbi,
    functionName: 'balanceOf',
    args: [account],
  });
}
