import type { Hash } from 'viem';
import type { PocoClient } from '../client.js';
import type { OrderKind, OrderOf } from '../orders.js';
import { manageOrder } from './manageOrder.js';

export type CancelOrderParameters<kind extends OrderKind> = { kind: kind; order: OrderOf<kind> };
export type CancelOrderReturnType = { hash: Hash };

/**
 * Cancels an order on chain, sent by its owner: its remaining volume drops to zero for good (this is
 * how a grant is revoked).
 *
 * @example
 * await cancelOrder(ownerClient, { kind: 'dataset', order: grant });
 */
export function cancelOrder<kind extends OrderKind>(
  client: PocoClient,
  { kind, order }: CancelOrderParameters<kind>,
): Promise<CancelOrderReturnType> {
  return manageOrder(client, kind, order, 'cancel');
}
