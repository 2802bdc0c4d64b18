import type { Hash } from 'viem';
import type { PocoClient } from '../client.js';
import type { OrderKind, OrderOf } from '../orders.js';
import { manageOrder } from './manageOrder.js';

export type PresignOrderParameters<kind extends OrderKind> = { kind: kind; order: OrderOf<kind> };
export type PresignOrderReturnType = { hash: Hash };

/**
 * Presigns an order on chain, sent by its owner, so it can be matched with an empty signature (`0x`).
 *
 * @example
 * await presignOrder(ownerClient, { kind: 'app', order: appOrder });
 * await matchOrders(client, { appOrder: { ...appOrder, sign: '0x' }, … });
 */
export function presignOrder<kind extends OrderKind>(
  client: PocoClient,
  { kind, order }: PresignOrderParameters<kind>,
): Promise<PresignOrderReturnType> {
  return manageOrder(client, kind, order, 'presign');
}
