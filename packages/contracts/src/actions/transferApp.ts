import type { Address, Hash } from 'viem';
import type { PocoClient } from '../client.js';
import { transferAsset } from '../internal/assets.js';

export type TransferAppParameters = { app: Address; to: Address };
export type TransferAppReturnType = { hash: Hash };

/**
 * Transfers a app to a new owner (its registry NFT); only its current owner can.
 *
 * @example
 * await transferApp(ownerClient, { app, to: newOwner });
 */
export function transferApp(client: PocoClient, { app, to }: TransferAppParameters): Promise<TransferAppReturnType> {
  return transferAsset(client, 'app', app, to);
}
