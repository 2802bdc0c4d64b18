import type { Address, Hash, Hex } from 'viem';
import { type PocoClient, requireWallet } from '../client.js';
import { AssetAlreadyExistsError } from '../errors.js';
import { datasetRegistryAbi } from '../generated/abis.js';
import { findMintedAsset } from '../internal/assets.js';
import { writeAndWait } from '../internal/write.js';
import { toBytes } from './createApp.js';

export type CreateDatasetParameters = {
  /** Defaults to the client's account. */
  owner?: Address | undefined;
  name: string;
  /** Where the encrypted file lives: binary multiaddr hex (`/p2p/<cid>` form) or a URL as text. */
  multiaddr: string | Hex;
  /** `0x` + sha256 of the encrypted file. */
  checksum: Hex;
};

export type CreateDatasetReturnType = { address: Address; hash: Hash };

/**
 * Registers a protected data (a dataset): mints its registry NFT to the owner.
 *
 * @example
 * const { address } = await createDataset(owner, { name: 'my email', multiaddr, checksum });
 */
export async function createDataset(client: PocoClient, parameters: CreateDatasetParameters): Promise<CreateDatasetReturnType> {
  const wallet = requireWallet(client, 'creating a dataset');
  const args = [
    parameters.owner ?? wallet.walletClient.account.address,
    parameters.name,
    toBytes(parameters.multiaddr),
    parameters.checksum,
  ] as const;
  const { hash, receipt } = await writeAndWait(
    wallet,
    'creating a dataset',
    { address: client.addresses.datasetRegistry, abi: datasetRegistryAbi, functionName: 'createDataset', args },
    () => existingDataset(client, args),
  );
  return { address: findMintedAsset(client, 'dataset', receipt, 'creating a dataset'), hash };
}

/**
 * The registry deploys datasets with CREATE2: the same owner, name, multiaddr and checksum twice
 * collide on one address. The error to report when a dataset already sits there.
 */
export async function existingDataset(
  client: PocoClient,
  args: readonly [owner: Address, name: string, multiaddr: Hex, checksum: Hex],
): Promise<AssetAlreadyExistsError | undefined> {
  const predicted = await client.publicClient.readContract({
    address: client.addresses.datasetRegistry,
    abi: datasetRegistryAbi,
    functionName: 'predictDataset',
    args,
  });
  const exists = await client.publicClient.readContract({
    address: client.addresses.datasetRegistry,
    abi: datasetRegistryAbi,
    functionName: 'isRegistered',
    args: [predicted],
  });
  return exists ? new AssetAlreadyExistsError('dataset', predicted) : undefined;
}
