import type { Address, Hash } from 'viem';
import type { PocoClient } from '../client.js';
import { transferAsset } from '../internal/assets.js';

export type TransferDatasetParameters = { dataset: Address; to: Address };
export type TransferDatasetReturnType = { hash: Hash };

/**
 * Transfers a dataset to a new owner (its registry NFT); only its current owner can.
 *
 * @example
 * await transferDataset(ownerClient, { dataset, to: newOwner });
 */
export function transferDataset(client: PocoClient, { dataset, to }: TransferDatasetParameters): Promise<TransferDatasetReturnType> {
  return transferAsset(client, 'dataset', dataset, to);
}
