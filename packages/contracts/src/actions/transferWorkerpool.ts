import type { Address, Hash } from 'viem';
import type { PocoClient } from '../client.js';
import { transferAsset } from '../internal/assets.js';

export type TransferWorkerpoolParameters = { workerpool: Address; to: Address };
export type TransferWorkerpoolReturnType = { hash: Hash };

/**
 * Transfers a workerpool to a new owner (its registry NFT); only its current owner can.
 *
 * @example
 * await transferWorkerpool(ownerClient, { workerpool, to: newOwner });
 */
export function transferWorkerpool(
  client: PocoClient,
  { workerpool, to }: TransferWorkerpoolParameters,
): Promise<TransferWorkerpoolReturnType> {
  return transferAsset(client, 'workerpool', workerpool, to);
}
