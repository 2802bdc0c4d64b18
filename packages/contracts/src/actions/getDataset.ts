import type { Address, Hex } from 'viem';
import type { PocoClient } from '../client.js';
import { AssetNotFoundError } from '../errors.js';
import { datasetRegistryAbi, iexecPocoAbi } from '../generated/abis.js';
import { bytesToText } from '../internal/text.js';

export type GetDatasetParameters = { dataset: Address };

export type GetDatasetReturnType = {
  address: Address;
  owner: Address;
  name: string;
  /** Where the encrypted file is, as stored (binary multiaddr or URL bytes) and as text when text. */
  multiaddr: Hex;
  multiaddrText: string | undefined;
  /** `0x` + sha256 of the encrypted file. */
  checksum: Hex;
};

/**
 * Reads a registered dataset (protected data).
 *
 * @example
 * const { owner, checksum } = await getDataset(client, { dataset });
 */
export async function getDataset(client: PocoClient, { dataset }: GetDatasetParameters): Promise<GetDatasetReturnType> {
  const registered = await client.publicClient.readContract({
    address: client.addresses.datasetRegistry,
    abi: datasetRegistryAbi,
    functionName: 'isRegistered',
    args: [dataset],
  });
  if (!registered) throw new AssetNotFoundError('dataset', dataset);
  const view = await client.publicClient.readContract({
    address: client.addresses.poco,
    abi: iexecPocoAbi,
    functionName: 'viewDataset',
    args: [dataset],
  });
  return {
    address: dataset,
    owner: view.owner,
    name: view.m_datasetName,
    multiaddr: view.m_datasetMultiaddr,
    multiaddrText: bytesToText(view.m_datasetMultiaddr),
    checksum: view.m_datasetChecksum,
  };
}
