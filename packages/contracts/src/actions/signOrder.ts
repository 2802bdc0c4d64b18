import { type PocoClient, requireWallet } from '../client.js';
import { type OrderKind, type OrderOf, orderTypedData, type Signed, unsigned } from '../orders.js';
import { assertOrderTag } from '../tags.js';
import { getPocoDomain, type PocoDomain } from './getPocoDomain.js';

export type SignOrderParameters<kind extends OrderKind> = {
  kind: kind;
  order: OrderOf<kind>;
  /** Read from the diamond when omitted. */
  domain?: PocoDomain | undefined;
};

export type SignOrderReturnType<kind extends OrderKind> = Signed<OrderOf<kind>>;

/**
 * Signs an order (EIP-712) with the client's account: the asset owner, or the requester. A tag
 * iExec 9 refuses for the order's kind (e.g. `0x…01` on an app order) is refused before signing.
 *
 * @example
 * const grant = await signOrder(ownerClient, { kind: 'dataset', order: datasetOrder });
 */
export async function signOrder<kind extends OrderKind>(
  client: PocoClient,
  { kind, order, domain }: SignOrderParameters<kind>,
): Promise<SignOrderReturnType<kind>> {
  const wallet = requireWallet(client, `signing a ${kind} order`);
  assertOrderTag(kind, order.tag);
  const sign = await wallet.walletClient.signTypedData(orderTypedData(domain ?? (await getPocoDomain(client)), kind, order));
  return { ...unsigned(kind, order), sign };
}
