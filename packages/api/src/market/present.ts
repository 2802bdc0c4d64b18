import { getAddress } from 'viem';
import type { OrderRow } from '../store/orderbook.js';

const ADDRESS_FIELDS = new Set([
  'app',
  'dataset',
  'workerpool',
  'requester',
  'beneficiary',
  'callback',
  'apprestrict',
  'datasetrestrict',
  'workerpoolrestrict',
  'requesterrestrict',
]);
const UINT_FIELDS = new Set(['appprice', 'datasetprice', 'workerpoolprice', 'appmaxprice', 'datasetmaxprice', 'workerpoolmaxprice']);
const SMALL_UINT_FIELDS = new Set(['volume', 'category', 'trust']);

/** A uint as a JSON number when it is one exactly (as iExec's market API stores them), else decimal text. */
export const uintValue = (text: string) => (BigInt(text) <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(text) : text);

/** The signed order as iExec's market API returns it: EIP-55 addresses, uints as numbers. */
function marketOrder(payload: Record<string, string>): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(payload).map(([key, value]) => {
      if (ADDRESS_FIELDS.has(key)) return [key, getAddress(value)];
      if (UINT_FIELDS.has(key) || SMALL_UINT_FIELDS.has(key)) return [key, uintValue(value)];
      return [key, value];
    }),
  );
}

const statusOf = (row: OrderRow, now: Date) => {
  if (row.status === 'cancelled') return 'canceled';
  if (row.status === 'filled' || row.consumed >= row.volume) return 'filled';
  return row.expiresAt !== null && row.expiresAt <= now ? 'dead' : 'open';
};

/** One order as an item of the market API's lists (dataset orders also say whether they are bulk). */
export function marketItem(row: OrderRow, chainId: number, now = new Date()) {
  const remaining = row.status === 'cancelled' || row.consumed >= row.volume ? 0n : row.volume - row.consumed;
  return {
    orderHash: row.hash,
    chainId,
    remaining: Number(remaining),
    status: statusOf(row, now),
    signer: getAddress(row.signer),
    publicationTimestamp: row.publishedAt.toISOString(),
    order: marketOrder(row.payload),
    ...(row.kind === 'dataset' ? { bulk: row.volume >= BigInt(Number.MAX_SAFE_INTEGER - 1) && row.price === 0n } : {}),
  };
}
