import type { Address } from 'viem';
import type { PocoClient } from '../client.js';
import { AssetNotFoundError, type AssetKind } from '../errors.js';
import { appRegistryAbi } from '../generated/abis.js';
import { getRevertInfo } from '../internal/revert.js';

export type GetAssetOwnerParameters = { kind: AssetKind; address: Address };
export type GetAssetOwnerReturnType = Address;

/**
 * The current on-chain owner of an app, dataset or workerpool (the holder of its registry NFT).
 *
 * @example
 * const owner = await getAssetOwner(client, { kind: 'dataset', address: dataset });
 */
export async function getAssetOwner(client: PocoClient, { kind, address }: GetAssetOwnerParameters): Promise<GetAssetOwnerReturnType> {
  try {
    // The three registries share the ERC-721 surface; the token id is the asset address.
    return await client.publicClient.readContract({
      address: registryOf(client, kind),
      abi: appRegistryAbi,
      functionName: 'ownerOf',
      args: [BigInt(address)],
    });
  } catch (error) {
    // ownerOf reverts for a token that was never minted; anything else (network, RPC) is not ours to rename.
    if (getRevertInfo(error)) throw new AssetNotFoundError(kind, address);
    throw error;
  }
}

export function registryOf(client: PocoClient, kind: AssetKind): Address {
  return { app: client.addresses.appRegistry, dataset: client.addresses.datasetRegistry, workerpool: client.addresses.workerpoolRegistry }[
    kind
  ];
}
