import { type Address, getAddress, type Hash, isAddressEqual, numberToHex, parseEventLogs, type TransactionReceipt } from 'viem';
import { getAssetOwner, registryOf } from '../actions/getAssetOwner.js';
import { type PocoClient, requireWallet } from '../client.js';
import { type AssetKind, ContractCallError, NotAssetOwnerError } from '../errors.js';
import { appRegistryAbi } from '../generated/abis.js';
import { writeAndWait } from './write.js';

/** The asset a registry minted in this receipt (its token id is the asset's address). */
export function findMintedAsset(client: PocoClient, kind: AssetKind, receipt: TransactionReceipt, action: string): Address {
  const registry = registryOf(client, kind);
  const minted = parseEventLogs({ abi: appRegistryAbi, eventName: 'Transfer', logs: receipt.logs }).find(
    (log) => isAddressEqual(log.address, registry) && BigInt(log.args.from) === 0n,
  );
  if (!minted) throw new ContractCallError(action, `no ${kind} was minted by ${receipt.transactionHash}`, undefined);
  return getAddress(numberToHex(minted.args.tokenId, { size: 20 }));
}

/** Hands an asset's registry NFT (and so the asset) to another account; checks ownership first. */
export async function transferAsset(client: PocoClient, kind: AssetKind, asset: Address, to: Address): Promise<{ hash: Hash }> {
  const action = `transferring ${kind} ${asset}`;
  const wallet = requireWallet(client, action);
  const caller = wallet.walletClient.account.address;
  const owner = await getAssetOwner(client, { kind, address: asset });
  if (!isAddressEqual(owner, caller)) throw new NotAssetOwnerError(kind, asset, owner, caller);
  const { hash } = await writeAndWait(wallet, action, {
    address: registryOf(client, kind),
    abi: appRegistryAbi,
    functionName: 'transferFrom',
    args: [caller, to, BigInt(asset)],
  });
  return { hash };
}
