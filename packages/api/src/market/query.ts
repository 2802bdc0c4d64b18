import { orders } from '@confidant/db';
import { and, asc, count, eq, gt, isNull, or, type SQL, sql } from 'drizzle-orm';
import { zeroAddress } from 'viem';
import type { Context } from '../context.js';
import type { OrderRow } from '../store/orderbook.js';
import { invalid } from './errors.js';
import { type ListQuery, MAX_PAGE_DEPTH, type MarketKind } from './schemas.js';

type Column = typeof orders.app;
type Kind = MarketKind;

/** A resource parameter: an exact match (0x0 is "none"); `any` or absent: no filter. */
function exact(column: Column, value: string | undefined): SQL | undefined {
  if (value === undefined || value === 'any') return undefined;
  return value === zeroAddress ? isNull(column) : eq(column, value);
}

/**
 * A restriction parameter (iexec-market-api services/order.js): absent -> the order must be open to
 * everyone (0x0); an address -> 0x0 or that address (only that address when strict); `any` -> no filter.
 */
function restricted(column: Column, value: string | undefined, strict: boolean): SQL | undefined {
  if (value === 'any') return undefined;
  if (value === undefined || value === zeroAddress) return isNull(column);
  return strict ? eq(column, value) : or(isNull(column), eq(column, value));
}

const bits = (value: SQL | string) => sql`('x' || substr(${value}, 3))::bit(256)`;
const noBits = sql`('x' || repeat('0', 64))::bit(256)`;

/** Tags, volume, owner and trust filters shared by the four lists. */
function commonFilters(q: ListQuery): (SQL | undefined)[] {
  return [
    q.minTag ? sql`(${bits(sql`${orders.tag}`)} & ${bits(q.minTag)}) = ${bits(q.minTag)}` : undefined,
    q.maxTag ? sql`(${bits(sql`${orders.tag}`)} & ~${bits(q.maxTag)}) = ${noBits}` : undefined,
    q.minVolume !== undefined ? sql`${orders.volume} - ${orders.consumed} >= ${q.minVolume.toString()}::numeric` : undefined,
  ];
}

/** What each list filters on, by kind (iexec-market-api's `get<Kind>orders`). */
function kindFilters(kind: Kind, q: ListQuery): (SQL | undefined)[] {
  switch (kind) {
    case 'app':
      if (!q.app && !q.appOwner) throw invalid('app or appOwner is required');
      return [
        exact(orders.app, q.app),
        q.appOwner ? eq(orders.signer, q.appOwner) : undefined,
        restricted(orders.dataset, q.dataset, q.isDatasetStrict),
        restricted(orders.workerpool, q.workerpool, q.isWorkerpoolStrict),
        restricted(orders.requester, q.requester, q.isRequesterStrict),
      ];
    case 'dataset':
      if (!q.dataset && !q.datasetOwner) throw invalid('dataset or datasetOwner is required');
      return [
        exact(orders.dataset, q.dataset),
        q.datasetOwner ? eq(orders.signer, q.datasetOwner) : undefined,
        restricted(orders.app, q.app, q.isAppStrict),
        restricted(orders.workerpool, q.workerpool, q.isWorkerpoolStrict),
        restricted(orders.requester, q.requester, q.isRequesterStrict),
        q.bulkOnly ? sql`${orders.volume} >= ${String(Number.MAX_SAFE_INTEGER - 1)}::numeric and ${orders.price} = 0` : undefined,
      ];
    case 'workerpool':
      return [
        exact(orders.workerpool, q.workerpool),
        q.workerpoolOwner ? eq(orders.signer, q.workerpoolOwner) : undefined,
        q.category !== undefined ? eq(orders.category, Number(q.category)) : undefined,
        q.minTrust !== undefined ? sql`(${orders.payload}->>'trust')::numeric >= ${q.minTrust.toString()}::numeric` : undefined,
        restricted(orders.app, q.app, q.isAppStrict),
        restricted(orders.dataset, q.dataset, q.isDatasetStrict),
        restricted(orders.requester, q.requester, q.isRequesterStrict),
      ];
    case 'request':
      return [
        exact(orders.requester, q.requester),
        exact(orders.app, q.app),
        exact(orders.dataset, q.dataset),
        q.beneficiary && q.beneficiary !== 'any' ? sql`${orders.payload}->>'beneficiary' = ${q.beneficiary}` : undefined,
        q.category !== undefined ? eq(orders.category, Number(q.category)) : undefined,
        q.maxTrust !== undefined ? sql`(${orders.payload}->>'trust')::numeric <= ${q.maxTrust.toString()}::numeric` : undefined,
        restricted(orders.workerpool, q.workerpool, q.isWorkerpoolStrict),
      ];
  }
}

/** Only what can still be matched: open, published, not expired. */
const liveOrder = () => [
  eq(orders.status, 'open'),
  isNull(orders.unpublishedAt),
  or(isNull(orders.expiresAt), gt(orders.expiresAt, sql`now()`)),
  sql`${orders.consumed} < ${orders.volume}`,
];

/** One page of open orders of a kind, cheapest first, with the count of all that match. */
export async function listOrders(ctx: Pick<Context, 'db'>, kind: Kind, q: ListQuery): Promise<{ rows: OrderRow[]; count: number }> {
  const offset = q.pageIndex * q.pageSize;
  if (offset + q.pageSize > MAX_PAGE_DEPTH)
    throw invalid(
      `page too deep: pageIndex ${q.pageIndex} with pageSize ${q.pageSize} reaches past order ${MAX_PAGE_DEPTH}; narrow the filters`,
    );
  const where = and(eq(orders.kind, kind), ...liveOrder(), ...commonFilters(q), ...kindFilters(kind, q));
  const [rows, total] = await Promise.all([
    ctx.db
      .select()
      .from(orders)
      .where(where)
      .orderBy(asc(orders.price), asc(orders.publishedAt), asc(orders.hash))
      .limit(q.pageSize)
      .offset(offset),
    ctx.db.select({ n: count() }).from(orders).where(where),
  ]);
  return { rows, count: total[0]?.n ?? 0 };
}
