import { orders, workerpoolOrderCounts } from '@confidant/db';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { and, asc, count, eq, gt, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import { zeroAddress } from 'viem';
import type { Context } from '../context.js';
import type { OrderRow } from '../store/orderbook.js';
import { perDatabase } from '../store/prepared.js';
import { invalid } from './errors.js';
import { type ListQuery, MAX_PAGE_DEPTH, type MarketKind } from './schemas.js';

type Column = AnyPgColumn;
type Kind = MarketKind;

/**
 * One condition of a list, split so that a query is built once per shape: `key` says the shape (which
 * condition, and how), `values` the request's own values, `sql` the condition over placeholders named
 * by those values, called only when the shape is first seen.
 */
type Filter = { key: string; values?: Record<string, unknown>; sql: () => SQL | undefined };
type Maybe = Filter | undefined;

const p = (name: string) => sql.placeholder(name);
const always = (key: string, condition: () => SQL | undefined): Filter => ({ key, sql: condition });
const valued = (key: string, name: string, value: unknown, condition: () => SQL | undefined): Filter => ({
  key,
  values: { [name]: value },
  sql: condition,
});

/** A resource parameter: an exact match (0x0 is "none"); `any` or absent: no filter. */
function exact(column: Column, name: string, value: string | undefined): Maybe {
  if (value === undefined || value === 'any') return undefined;
  if (value === zeroAddress) return always(`${name}=0`, () => isNull(column));
  return valued(`${name}=`, name, value, () => eq(column, p(name)));
}

/**
 * A restriction parameter (iexec-market-api services/order.js): absent -> the order must be open to
 * everyone (0x0); an address -> 0x0 or that address (only that address when strict); `any` -> no filter.
 */
function restricted(column: Column, name: string, value: string | undefined, strict: boolean): Maybe {
  if (value === 'any') return undefined;
  if (value === undefined || value === zeroAddress) return always(`${name}~0`, () => isNull(column));
  if (strict) return valued(`${name}!`, name, value, () => eq(column, p(name)));
  return valued(`${name}~`, name, value, () => or(isNull(column), eq(column, p(name))));
}

/** A condition on a value of the request, when it is given. */
function when(name: string, value: unknown, condition: () => SQL | undefined): Maybe {
  return value === undefined ? undefined : valued(name, name, value, condition);
}

const bits = (value: SQL | ReturnType<typeof p>) => sql`('x' || substr(${value}, 3))::bit(256)`;
const noBits = sql`('x' || repeat('0', 64))::bit(256)`;
const NO_TAG = `0x${'0'.repeat(64)}`;

/**
 * `minTag`: the order's tag has all its bits; `maxTag`: no other bits. The bit arithmetic is costly
 * over thousands of orders, and most tags are 0x0 or exactly the one asked for: those are answered
 * by comparing the text first, with the same answer.
 */
function tagFilters(q: ListQuery): Maybe[] {
  const tag = sql`${orders.tag}`;
  const maxTag = p('maxTag');
  return [
    when('minTag', q.minTag && q.minTag !== NO_TAG ? q.minTag : undefined, () => hasMinTag(tag)),
    when('maxTag', q.maxTag, () => sql`(${tag} = ${NO_TAG} or ${tag} = ${maxTag} or (${bits(tag)} & ~${bits(maxTag)}) = ${noBits})`),
  ];
}

/** `tag` has every bit of the `minTag` placeholder. */
function hasMinTag(tag: SQL): SQL {
  const minTag = p('minTag');
  return sql`(${tag} = ${minTag} or (${tag} <> ${NO_TAG} and (${bits(tag)} & ${bits(minTag)}) = ${bits(minTag)}))`;
}

/** Tags, volume, owner and trust filters shared by the four lists. */
function commonFilters(q: ListQuery): Maybe[] {
  return [
    ...tagFilters(q),
    when('minVolume', q.minVolume?.toString(), () => sql`${orders.volume} - ${orders.consumed} >= ${p('minVolume')}::numeric`),
  ];
}

const trust = sql`(${orders.payload}->>'trust')::numeric`;

/**
 * What each list filters on, by kind (iexec-market-api's `get<Kind>orders`). An order's own resource
 * (the app of an app order, …, the requester of a request order) is its `subject` as well: it is
 * matched there, where the live-order index by resource has it.
 */
function kindFilters(kind: Kind, q: ListQuery): Maybe[] {
  const category = when('category', q.category === undefined ? undefined : Number(q.category), () => eq(orders.category, p('category')));
  switch (kind) {
    case 'app':
      if (!q.app && !q.appOwner) throw invalid('app or appOwner is required');
      return [
        exact(orders.subject, 'subject', q.app),
        when('signer', q.appOwner, () => eq(orders.signer, p('signer'))),
        restricted(orders.dataset, 'dataset', q.dataset, q.isDatasetStrict),
        restricted(orders.workerpool, 'workerpool', q.workerpool, q.isWorkerpoolStrict),
        restricted(orders.requester, 'requester', q.requester, q.isRequesterStrict),
      ];
    case 'dataset':
      if (!q.dataset && !q.datasetOwner) throw invalid('dataset or datasetOwner is required');
      return [
        exact(orders.subject, 'subject', q.dataset),
        when('signer', q.datasetOwner, () => eq(orders.signer, p('signer'))),
        restricted(orders.app, 'app', q.app, q.isAppStrict),
        restricted(orders.workerpool, 'workerpool', q.workerpool, q.isWorkerpoolStrict),
        restricted(orders.requester, 'requester', q.requester, q.isRequesterStrict),
        q.bulkOnly
          ? always('bulk', () => sql`${orders.volume} >= ${String(Number.MAX_SAFE_INTEGER - 1)}::numeric and ${orders.price} = 0`)
          : undefined,
      ];
    case 'workerpool':
      return [
        exact(orders.subject, 'subject', q.workerpool),
        when('signer', q.workerpoolOwner, () => eq(orders.signer, p('signer'))),
        category,
        when('minTrust', q.minTrust?.toString(), () => sql`${trust} >= ${p('minTrust')}::numeric`),
        restricted(orders.app, 'app', q.app, q.isAppStrict),
        restricted(orders.dataset, 'dataset', q.dataset, q.isDatasetStrict),
        restricted(orders.requester, 'requester', q.requester, q.isRequesterStrict),
      ];
    case 'request':
      return [
        exact(orders.subject, 'subject', q.requester),
        exact(orders.app, 'app', q.app),
        exact(orders.dataset, 'dataset', q.dataset),
        when(
          'beneficiary',
          q.beneficiary === 'any' ? undefined : q.beneficiary,
          () => sql`${orders.payload}->>'beneficiary' = ${p('beneficiary')}`,
        ),
        category,
        when('maxTrust', q.maxTrust?.toString(), () => sql`${trust} <= ${p('maxTrust')}::numeric`),
        restricted(orders.workerpool, 'workerpool', q.workerpool, q.isWorkerpoolStrict),
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

type Database = Context['db'];

const RESTRICTIONS = ['app', 'dataset', 'requester'] as const;
const COUNTED_SHAPE = /^(subject=|category|minTag|(app|dataset|requester)~0?)$/;

/**
 * Whether a workerpool list's count can use `workerpool_order_counts`: its filters are only the
 * workerpool, category and minimum tag, and each restriction is "none" (absent or 0x0) or "none or
 * this address" (iexec's own query, not strict and not `any`).
 */
function countsOpenOrders(kind: Kind, keys: Set<string>): boolean {
  return (
    kind === 'workerpool' &&
    [...keys].every((key) => COUNTED_SHAPE.test(key)) &&
    RESTRICTIONS.every((name) => keys.has(`${name}~`) || keys.has(`${name}~0`))
  );
}

/**
 * The count of a workerpool list as the orders open to everyone (counted ahead, by workerpool,
 * category and tag) plus the restricted orders that match. Each of those names an address asked
 * for: they are found through it, one disjoint part per restriction (the app's, then with no app
 * the dataset's, then the requester's), each read by that address first (`offset 0` keeps
 * PostgreSQL from merging the part into a scan of the whole workerpool).
 */
function openOrdersCount(where: SQL | undefined, keys: Set<string>): SQL {
  const c = workerpoolOrderCounts;
  const open = and(
    keys.has('subject=') ? eq(c.workerpool, p('subject')) : undefined,
    keys.has('category') ? eq(c.category, p('category')) : undefined,
    keys.has('minTag') ? hasMinTag(sql`${c.tag}`) : undefined,
  );
  const named = RESTRICTIONS.filter((name) => keys.has(`${name}~`));
  const parts = named.map((name, i) => {
    const first = and(
      eq(orders.kind, 'workerpool'),
      eq(orders[name], p(name)),
      ...named.slice(0, i).map((before) => isNull(orders[before])),
    );
    return sql`(select count(*) from (select * from ${orders} where ${first} offset 0) as ${orders} where ${where})`;
  });
  return sql.join([sql`(select coalesce(sum(${c.n}), 0) from ${c} where ${open ?? sql`true`})`, ...parts], sql` + `);
}

/**
 * The two statements of a list shape, over placeholders: the page with the count, and the count
 * alone. The page is read in the live-order index's order and the count from the index alone (or
 * for most workerpool lists, from the counts kept ahead), so neither reads more of the table than
 * the page's rows.
 */
function buildList(db: Database, kind: Kind, filters: Filter[]) {
  const where = and(eq(orders.kind, kind), ...liveOrder(), ...filters.map((filter) => filter.sql()));
  const keys = new Set(filters.map((filter) => filter.key));
  const cheapestFirst = [asc(orders.price), asc(orders.publishedAt), asc(orders.hash)];
  const total = countsOpenOrders(kind, keys) ? openOrdersCount(where, keys) : sql`(${db.select({ n: count() }).from(orders).where(where)})`;
  const page = db
    .select({ hash: orders.hash })
    .from(orders)
    .where(where)
    .orderBy(...cheapestFirst)
    .limit(p('limit'))
    .offset(p('offset'));
  return {
    page: db
      .select({ row: orders, total: sql<number>`(${total})`.mapWith(Number) })
      .from(orders)
      .where(inArray(orders.hash, page))
      .orderBy(...cheapestFirst)
      .prepare('market_list'),
    count: db
      .select({ n: sql<number>`(${total})`.mapWith(Number) })
      .from(sql`(select 1) as one`)
      .prepare('market_count'),
  };
}

type List = ReturnType<typeof buildList>;
/** Built lists by shape; the shapes are few (each filter has a handful of forms). */
const listsOf = perDatabase(() => new Map<string, List>());

function listOf(db: Database, kind: Kind, filters: Filter[]): List {
  const byShape = listsOf(db);
  const key = `${kind}|${filters.map((filter) => filter.key).join('|')}`;
  let list = byShape.get(key);
  if (!list) byShape.set(key, (list = buildList(db, kind, filters)));
  return list;
}

/**
 * One page of open orders of a kind, cheapest first, with the count of all that match, in one
 * statement: the matching orders' keys are read from the live-order index alone (its filter columns
 * are in it), counted, and only the page's rows are read from the table. The statement is built once
 * per shape of query and prepared (named), so that PostgreSQL parses and plans it once per connection.
 */
export async function listOrders(ctx: Pick<Context, 'db'>, kind: Kind, q: ListQuery): Promise<{ rows: OrderRow[]; count: number }> {
  const offset = q.pageIndex * q.pageSize;
  if (offset + q.pageSize > MAX_PAGE_DEPTH)
    throw invalid(
      `page too deep: pageIndex ${q.pageIndex} with pageSize ${q.pageSize} reaches past order ${MAX_PAGE_DEPTH}; narrow the filters`,
    );
  const filters = [...commonFilters(q), ...kindFilters(kind, q)].filter((filter): filter is Filter => filter !== undefined);
  const values = Object.assign({}, ...filters.map((filter) => filter.values)) as Record<string, unknown>;
  const list = listOf(ctx.db, kind, filters);
  const found = await list.page.execute({ ...values, limit: q.pageSize, offset });
  if (found[0]) return { rows: found.map(({ row }) => row), count: found[0].total };
  // An empty page: there is nothing to count unless the page is past the end.
  if (offset === 0) return { rows: [], count: 0 };
  const [total] = await list.count.execute(values);
  return { rows: [], count: total?.n ?? 0 };
}
