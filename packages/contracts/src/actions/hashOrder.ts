import { type Hash, hashTypedData } from 'viem';
import { type OrderKind, type OrderOf, orderTypedData } from '../orders.js';
import type { PocoDomain } from './getPocoDomain.js';

export type HashOrderParameters<kind extends OrderKind> = {
  domain: PocoDomain;
  kind: kind;
  order: OrderOf<kind>;
};

export type HashOrderReturnType = Hash;

/**
 * The EIP-712 hash of an order: its id in PoCo (`viewConsumed`, cancellations, deals).
 *
 * @example
 * const hash = hashOrder({ domain, kind: 'dataset', order: datasetOrder });
 */
export function hashOrder<kind extends OrderKind>({ domain, kind, order }: HashOrderParameters<kind>): HashOrderReturnType {
  return hashTypedData(orderTypedData(domain, kind, order));
}
