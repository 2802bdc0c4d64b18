import type { Hash } from 'viem';
import { type PocoClient, requireWallet } from '../client.js';
import { NotAssetOwnerError } from '../errors.js';
import { iexecPocoAbi } from '../generated/abis.js';
import { writeAndWait } from '../internal/write.js';
import { type OrderKind, type OrderOf, orderSubject, unsigned } from '../orders.js';
import { getAssetOwner } from './getAssetOwner.js';

const SIGN = 0;
const CLOSE = 1;

const functionNames = {
  app: 'manageAppOrder',
  dataset: 'manageDatasetOrder',
  workerpool: 'manageWorkerpoolOrder',
  request: 'manageRequestOrder',
} as const;

/** Presigns or closes an order on chain, sent by its owner (no operation signature needed). */
export async function manageOrder<kind extends OrderKind>(
  client: PocoClient,
  kind: kind,
  order: OrderOf<kind>,
  operation: 'presign' | 'cancel',
): Promise<{ hash: Hash }> {
  const action = `${operation === 'cancel' ? 'cancelling' : 'presigning'} a ${kind} order`;
  const wallet = requireWallet(client, action);
  const caller = wallet.walletClient.account.address;
  const { hash } = await writeAndWait(
    wallet,
    action,
    {
      address: client.addresses.poco,
      abi: iexecPocoAbi,
      functionName: functionNames[kind],
      args: [{ order: unsigned(kind, order), operation: operation === 'cancel' ? CLOSE : SIGN, sign: '0x' }] as never,
    },
    async (revert) => {
      if (revert.reason !== 'invalid-sender-or-signature' || kind === 'request') return undefined;
      const asset = orderSubject(kind, order);
      const assetKind = kind as Exclude<OrderKind, 'request'>;
      return new NotAssetOwnerError(assetKind, asset, await getAssetOwner(client, { kind: assetKind, address: asset }), caller);
    },
  );
  return { hash };
}
