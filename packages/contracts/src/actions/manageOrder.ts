import { type Hash, isAddressEqual } from 'viem';
import { type PocoClient, requireWallet } from '../client.js';
import { NotAssetOwnerError, NotRequesterError } from '../errors.js';
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
      // The ABI's order struct carries a `sign` field; its value does not enter the order's hash.
      args: [{ order: { ...unsigned(kind, order), sign: '0x' }, operation: operation === 'cancel' ? CLOSE : SIGN, sign: '0x' }] as never,
    },
    // Sent by anyone but the owner, PoCo tries to verify the (empty) operation signature and fails.
    async () => {
      const subject = orderSubject(kind, order);
      if (kind === 'request') return isAddressEqual(subject, caller) ? undefined : new NotRequesterError(subject, caller);
      const assetKind = kind as Exclude<OrderKind, 'request'>;
      const owner = await getAssetOwner(client, { kind: assetKind, address: subject });
      return isAddressEqual(owner, caller) ? undefined : new NotAssetOwnerError(assetKind, subject, owner, caller);
    },
  );
  return { hash };
}
