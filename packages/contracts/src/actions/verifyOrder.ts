import { type Address, isAddressEqual, recoverTypedDataAddress, zeroAddress } from 'viem';
import type { PocoClient } from '../client.js';
import { iexecPocoAbi } from '../generated/abis.js';
import { type OrderKind, type OrderOf, orderSubject, orderTypedData, type Signed } from '../orders.js';
import { getAssetOwner } from './getAssetOwner.js';
import { getPocoDomain, type PocoDomain } from './getPocoDomain.js';
import { hashOrder } from './hashOrder.js';

export type VerifyOrderParameters<kind extends OrderKind> = {
  kind: kind;
  order: Signed<OrderOf<kind>>;
  domain?: PocoDomain | undefined;
};

export type VerifyOrderReturnType = {
  /** True when PoCo would accept the order's signature (or presignature). */
  valid: boolean;
  /** Who must have signed: the asset's on-chain owner, or the requester. */
  expectedSigner: Address;
  /** Who did sign, recovered from the signature (undefined when there is none or it is malformed). */
  signer: Address | undefined;
  /** Whether the owner presigned the order on chain instead. */
  presigned: boolean;
};

/**
 * Checks an order's signature the way matchOrders will: against the current on-chain owner of its
 * asset (request orders: the requester), accepting an on-chain presignature too.
 *
 * @example
 * const { valid, expectedSigner } = await verifyOrder(client, { kind: 'app', order: signedAppOrder });
 */
export async function verifyOrder<kind extends OrderKind>(
  client: PocoClient,
  { kind, order, domain }: VerifyOrderParameters<kind>,
): Promise<VerifyOrderReturnType> {
  const resolvedDomain = domain ?? (await getPocoDomain(client));
  const subject = orderSubject(kind, order);
  const expectedSigner =
    kind === 'request' ? subject : await getAssetOwner(client, { kind: kind as Exclude<OrderKind, 'request'>, address: subject });
  let signer: Address | undefined;
  if (order.sign !== '0x') {
    try {
      signer = await recoverTypedDataAddress({ ...orderTypedData(resolvedDomain, kind, order), signature: order.sign });
    } catch {
      signer = undefined;
    }
  }
  let presigned = false;
  if (!(signer && isAddressEqual(signer, expectedSigner))) {
    const presigner = await client.publicClient.readContract({
      address: client.addresses.poco,
      abi: iexecPocoAbi,
      functionName: 'viewPresigned',
      args: [hashOrder({ domain: resolvedDomain, kind, order })],
    });
    presigned = presigner !== zeroAddress && isAddressEqual(presigner, expectedSigner);
  }
  return { valid: presigned || (signer !== undefined && isAddressEqual(signer, expectedSigner)), expectedSigner, signer, presigned };
}
