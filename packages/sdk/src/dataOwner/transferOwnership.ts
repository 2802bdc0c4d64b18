import { getAssetOwner, NotAssetOwnerError, transferDataset } from '@confidant/contracts';
import { type Address, type Hash, isAddressEqual, zeroAddress } from 'viem';
import { type ConfidantClient, signerOf } from '../client.js';
import { InvalidArgumentError } from '../errors.js';
import { addressArgument } from '../internal/validate.js';

export type TransferOwnershipParameters = { protectedData: Address; newOwner: Address };
export type TransferOwnershipReturnType = { address: Address; to: Address; transactionHash: Hash };

/**
 * Hands a protected data over to a new owner: from then on only they can grant access to it. Grants
 * you signed stop being honoured, since a grant must be signed by the current owner.
 *
 * @example
 * await transferOwnership(confidant, { protectedData, newOwner: '0x…' });
 */
export async function transferOwnership(
  client: ConfidantClient,
  parameters: TransferOwnershipParameters,
): Promise<TransferOwnershipReturnType> {
  const { wallet, address: me } = signerOf(client, 'transferring a protected data');
  const dataset = addressArgument('protectedData', parameters.protectedData);
  const to = addressArgument('newOwner', parameters.newOwner);
  if (isAddressEqual(to, zeroAddress))
    throw new InvalidArgumentError('newOwner', 'is the zero address', 'Give the address of the account that will own the protected data.');
  const owner = await getAssetOwner(client.poco, { kind: 'dataset', address: dataset });
  if (!isAddressEqual(owner, me)) throw new NotAssetOwnerError('dataset', dataset, owner, me);
  const { hash } = await transferDataset(wallet, { dataset, to });
  return { address: dataset, to, transactionHash: hash };
}
