import type { SignedDatasetOrder } from '@confidant/contracts';
import type { DataSchema } from '@confidant/protected-data';
import { type Address, getAddress, type Hex } from 'viem';
import { InvalidArgumentError } from '../errors.js';
import type { ApiOutputs } from './api.js';
import type { MarketOrder } from './market.js';

/** A protected data as the SDK returns it. */
export type ProtectedData = {
  address: Address;
  name: string;
  owner: Address;
  /** As the DataProtector subgraph holds it (`null`: no field in it). */
  schema: DataSchema | null;
  multiaddr: string;
  checksum: Hex;
  createdAt: Date;
  transactionHash: Hex;
};

/** An access granted to a protected data: a signed dataset order in the orderbook. */
export type GrantedAccess = {
  /** The order's hash: what `revokeOneAccess` takes. */
  hash: Hex;
  protectedData: Address;
  /** The app allowed to use the data (`0x000…0`: any app). */
  app: Address;
  /** The user allowed to run it (`0x000…0`: anyone). */
  user: Address;
  workerpool: Address;
  /** nRLC paid to the owner per use. */
  pricePerAccess: bigint;
  numberOfAccess: bigint;
  remainingAccess: bigint;
  revoked: boolean;
  expiresAt: Date | null;
  publishedAt: Date;
  order: SignedDatasetOrder;
};

/** What a grant is made of, under `grants.list`'s names. */
type GrantFields = Pick<
  ApiOutputs['grants']['list']['items'][number],
  'hash' | 'order' | 'uses' | 'usesLeft' | 'revoked' | 'expiresAt' | 'publishedAt'
>;

/** The signed dataset order as the orderbook holds it, addresses checksummed. */
function checksummed(order: GrantFields['order']): SignedDatasetOrder {
  return {
    ...order,
    dataset: getAddress(order.dataset),
    apprestrict: getAddress(order.apprestrict),
    workerpoolrestrict: getAddress(order.workerpoolrestrict),
    requesterrestrict: getAddress(order.requesterrestrict),
  };
}

/** A grant of `grants.list` as the SDK presents it. */
export function toGrantedAccess(grant: GrantFields): GrantedAccess {
  const order = checksummed(grant.order);
  return {
    hash: grant.hash as Hex,
    protectedData: order.dataset,
    app: order.apprestrict,
    user: order.requesterrestrict,
    workerpool: order.workerpoolrestrict,
    pricePerAccess: order.datasetprice,
    numberOfAccess: grant.uses,
    remainingAccess: grant.usesLeft,
    revoked: grant.revoked,
    expiresAt: grant.expiresAt,
    publishedAt: grant.publishedAt,
    order,
  };
}

/** A dataset order of `orders.publish` or `orders.get` (the orderbook's names) as a grant. */
export function orderToGrantedAccess(presented: ApiOutputs['orders']['get']): GrantedAccess {
  if (presented.kind !== 'dataset') {
    throw new InvalidArgumentError(
      'access',
      `is the hash of ${presented.kind === 'app' ? 'an' : 'a'} ${presented.kind} order, not of a grant`,
      'Pass a grant from getGrantedAccess, or its hash.',
    );
  }
  const { hash, order, volume, remaining, cancelled, expiresAt, publishedAt } = presented;
  return toGrantedAccess({ hash, order, uses: volume, usesLeft: remaining, revoked: cancelled, expiresAt, publishedAt });
}

/**
 * A dataset order of the market API as a grant. The market API has no expiry field: a grant listed
 * there says `expiresAt: null` (an expired grant is never listed). `remaining` is the caller's
 * (read from the chain); `revoked` is the market's `canceled` status.
 */
export function marketToGrantedAccess(item: MarketOrder<'dataset'>, remaining: bigint = item.remaining): GrantedAccess {
  const { order } = item;
  return {
    hash: item.orderHash,
    protectedData: order.dataset,
    app: order.apprestrict,
    user: order.requesterrestrict,
    workerpool: order.workerpoolrestrict,
    pricePerAccess: order.datasetprice,
    numberOfAccess: order.volume,
    remainingAccess: remaining,
    revoked: item.status === 'canceled',
    expiresAt: null,
    publishedAt: item.publishedAt,
    order,
  };
}
