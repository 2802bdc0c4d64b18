import { orders } from '@confidant/db';
import { and, asc, count, eq, gt, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import { zeroAddress } from 'viem';
import type { Context } from '../context.js';
import type { OrderRow } from '../store/orderbook.js';
import { invalid } from './errors.js';
import { type ListQuery, MAX_PAGE_DEPTH, type MarketKind } from './schemas.js';

type Column = typeof orders.app | typeof orders.subject;
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
const NO_TAG = `0x${'0'.repeat(64)}`;

/**
 * `minTag`: the order's tag has all its bits; `maxTag`: no other bits. The bit arithmetic is costly
 * over thousands of orders, and most tags are 0x0 or exactly the one asked for: those are answered
 * by comparing the text first, with the same answer.
 */
function tagFilters(q: ListQuery): (SQL | undefined)[] {
  const tag = sql`${orders.tag}`;
  return [
    q.minTag && q.minTag !== NO_TAG
      ? sql`(${tag} = ${q.minTag} or (${tag} <> ${NO_TAG} and (${bits(tag)} & ${bits(q.minTag)}) = ${bits(q.minTag)}))`
      : undefined,
    q.maxTag ? sql`(${tag} = ${NO_TAG} or ${tag} = ${q.maxTag} or (${bits(tag)} & ~${bits(q.maxTag)}) = ${noBits})` : undefined,
  ];
}

/** Tags, volume, owner and trust filters shared by the four lists. */
function commonFilters(q: ListQuery): (SQL | undefined)[] {
  return [
    ...tagFilters(q),
    q.minVolume !== undefined ? sql`${orders.volume} - ${orders.consumed} >= ${q.minVolume.toString()}::numeric` : undefined,
  ];
}

/**
 * What each list filters on, by kind (iexec-market-api's `get<Kind>orders`). An order's own resource
 * (the app of an app order, …, the requester of a request order) is its `subject` as well: it is
 * matched there, where the live-order index by resource has it.
 */
function kindFilters(kind: Kind, q: ListQuery): (SQL | undefined)[] {
  switch (kind) {
    case 'app':
      if (!q.app && !q.appOwner) throw invalid('app or appOwner is required');
      return [
        exact(orders.subject, q.app),
        q.appOwner ? eq(orders.signer, q.appOwner) : undefined,
        restricted(orders.dataset, q.dataset, q.isDatasetStrict),
        restricted(orders.workerpool, q.workerpool, q.isWorkerpoolStrict),
        restricted(orders.requester, q.requester, q.isRequesterStrict),
      ];
    case 'dataset':
      if (!q.dataset && !q.datasetOwner) throw invalid('dataset or datasetOwner is required');
      return [
        exact(orders.subject, q.dataset),
        q.datasetOwner ? eq(orders.signer, q.datasetOwner) : undefined,
        restricted(orders.app, q.app, q.isAppStrict),
        restricted(orders.workerpool, q.workerpool, q.isWorkerpoolStrict),
        restricted(orders.requester, q.requester, q.isRequesterStrict),
        q.bulkOnly ? sql`${orders.volume} >= ${String(Number.MAX_SAFE_INTEGER - 1)}::numeric and ${orders.price} = 0` : undefined,
      ];
    case 'workerpool':
      return [
        exact(orders.subject, q.workerpool),
        q.workerpoolOwner ? eq(orders.signer, q.workerpoolOwner) : undefined,
        q.category !== undefined ? eq(orders.category, Number(q.category)) : undefined,
        q.minTrust !== undefined ? sql`(${orders.payload}->>'trust')::numeric >= ${q.minTrust.toString()}::numeric` : undefined,
        restricted(orders.app, q.app, q.isAppStrict),
        restricted(orders.dataset, q.dataset, q.isDatasetStrict),
        restricted(orders.requester, q.requester, q.isRequesterStrict),
      ];
    case 'request':
      return [
        exact(orders.subject, q.requester),
        exact(orders.app, q.app),
        exact(orders.dataset, q.dataset),
        q.beneficiary && q.beneficiary !== 'any' ? sql`${orders.payload}->>'beneficiary' = ${q.beneficiary}` : undefined,
        q.category !== undefined ? eq(orders.category, Number(q.category)) : undefined,
        q.maxTrust !== undefined ? sql`(${orders.payload}->>'trust')::numeric <= ${q.maxTrust.toString()}::numeric` : undefined,
        restricted(orders.workerpool, q.workerpool, q.isWorkerpoolStrict),
      ];
  }
}

/**
 * Only what can still be matched: open, published, not used up, not expired. The first three say
 * exactly what the orderbook's partial indexes say (`orders_live_*_idx` in @confidant/db), so that
 * PostgreSQL can use them; `status` is a literal for the same reason.
 */
const liveOrder = () => [
  sql`${orders.status} = 'open'`,
  isNull(orders.unpublishedAt),
  sql`${orders.consumed} < ${orders.volume}`,
  or(isNull(orders.expiresAt), gt(orders.expiresAt, sql`now()`)),
];

/** One page of open orders of a kind, cheapest first, with the count of all that match. */
export async function listOrders(ctx: Pick<Context, 'db'>, kind: Kind, q: ListQuery): Promise<{ rows: OrderRow[]; count: number }> {
  const offset = q.pageIndex * q.pageSize;
  if (offset + q.pageSize > MAX_PAGE_DEPTH)
    throw invalid(
      `page too deep: pageIndex ${q.pageIndex} with pageSize ${q.pageSize} reaches past order ${MAX_PAGE_DEPTH}; narrow the filters`,
    );
  const where = and(eq(orders.kind, kind), ...liveOrder(), ...commonFilters(q), ...kindFilters(kind, q));
  const order = [asc(orders.price), asc(orders.publishedAt), asc(orders.hash)];
  // The page's hashes are found in the index alone (its filter columns are in it), then only the
  // page's rows are read from the table.
  const page = ctx.db
    .select({ hash: orders.hash })
    .from(orders)
    .where(where)
    .orderBy(...order)
    .limit(q.pageSize)
    .offset(offset);
  const [rows, total] = await Promise.all([
    ctx.db
      .select()
      .from(orders)
      .where(inArray(orders.hash, page))
      .orderBy(...order),
    ctx.db.select({ n: count() }).from(orders).where(where),
  ]);
  return { rows, count: total[0]?.n ?? 0 };
}
