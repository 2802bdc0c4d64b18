import { iexecPocoAbi } from '@confidant/contracts';
import { orders } from '@confidant/db';
import { and, asc, desc, eq, gt, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Hex } from 'viem';
import { z } from 'zod';
import type { Context } from '../context.js';
import { NotIndexedError } from '@confidant/errors/api';
import { addressSchema, bytes32Schema, paginationSchema, signedOrderSchema, uintSchema } from '../schemas.js';
import { type OrderRow, presentOrder } from '../store/orderbook.js';
import { pageOf } from '../store/page.js';
import { type PublishOrderInput, publishOrder } from '../store/publishOrder.js';
import { publicProcedure, router } from '../trpc.js';

export const orderQueryInput = paginationSchema.extend({
  kind: z.enum(['app', 'dataset', 'workerpool', 'request']),
  /** The app, dataset or workerpool of the order (the requester for request orders). */
  subject: addressSchema.optional(),
  /** Orders usable with this app (its own orders, or orders open to it). */
  app: addressSchema.optional(),
  dataset: addressSchema.optional(),
  workerpool: addressSchema.optional(),
  requester: addressSchema.optional(),
  /** Orders whose tag includes this one (e.g. TEE). */
  tag: bytes32Schema.optional(),
  minPrice: uintSchema.optional(),
  maxPrice: uintSchema.optional(),
  /** Also return cancelled and used-up orders. */
  includeClosed: z.boolean().default(false),
  /** Re-read every returned order's consumption on chain instead of the index. */
  live: z.boolean().default(false),
  sort: z.enum(['newest', 'priceAsc']).default('newest'),
});

/** Filters usable on either side of a restriction: a null restriction is open to anyone. */
const allows = (column: AnyPgColumn, value: string | undefined) => (value ? or(eq(column, value), isNull(column)) : undefined);

/** The orderbook's query over the index; shared by the orders and grants routers. */
export async function queryOrders(
  ctx: Pick<Context, 'db'>,
  input: z.infer<typeof orderQueryInput>,
  extra: SQL[] = [],
): Promise<OrderRow[]> {
  const where: (SQL | undefined)[] = [eq(orders.kind, input.kind), ...extra];
  if (input.subject) where.push(eq(orders.subject, input.subject));
  if (input.app) where.push(input.kind === 'app' || input.kind === 'request' ? eq(orders.app, input.app) : allows(orders.app, input.app));
  if (input.dataset) where.push(input.kind === 'dataset' ? eq(orders.dataset, input.dataset) : allows(orders.dataset, input.dataset));
  if (input.workerpool)
    where.push(input.kind === 'workerpool' ? eq(orders.workerpool, input.workerpool) : allows(orders.workerpool, input.workerpool));
  if (input.requester)
    where.push(input.kind === 'request' ? eq(orders.requester, input.requester) : allows(orders.requester, input.requester));
  if (input.tag)
    where.push(
      sql`(('x' || substr(${orders.tag}, 3))::bit(256) & ('x' || substr(${input.tag}, 3))::bit(256)) = ('x' || substr(${input.tag}, 3))::bit(256)`,
    );
  if (input.minPrice !== undefined) where.push(gte(orders.price, input.minPrice));
  if (input.maxPrice !== undefined) where.push(lte(orders.price, input.maxPrice));
  if (!input.includeClosed) where.push(eq(orders.status, 'open'));
  // Orders their signer withdrew (market API unpublish) are gone from every list.
  where.push(isNull(orders.unpublishedAt));
  // Expired grants are never served: PoCo does not know expiry, the marketplace enforces it.
  where.push(or(isNull(orders.expiresAt), gt(orders.expiresAt, sql`now()`)));
  return ctx.db
    .select()
    .from(orders)
    .where(and(...where))
    .orderBy(...(input.sort === 'priceAsc' ? [asc(orders.price), desc(orders.publishedAt)] : [desc(orders.publishedAt), asc(orders.hash)]))
    .limit(input.limit + 1)
    .offset(input.cursor ?? 0);
}

/** Re-reads the on-chain consumption of orders (the `live` option). */
export async function withLiveVolumes(ctx: Pick<Context, 'poco'>, rows: OrderRow[]): Promise<OrderRow[]> {
  return Promise.all(
    rows.map(async (row) => {
      const consumed = await ctx.poco.publicClient.readContract({
        address: ctx.poco.addresses.poco,
        abi: iexecPocoAbi,
        functionName: 'viewConsumed',
        args: [row.hash as Hex],
      });
      return { ...row, consumed };
    }),
  );
}

/** The orderbook: publish signed orders of the four kinds, query them with their live state. */
export const ordersRouter = router({
  /**
   * Publishes a signed order. Its signature must be the asset owner's (request: the requester's) for
   * this network's PoCo domain; a dataset order (a grant) may carry an expiry.
   */
  publish: publicProcedure
    .input(signedOrderSchema.and(z.object({ expiresAt: z.coerce.date().optional() })))
    .mutation(async ({ ctx, input }) => presentOrder(await publishOrder(ctx, input as PublishOrderInput))),

  /** Orders by asset, app, dataset, requester, tag and price, with remaining volume and status. */
  list: publicProcedure.input(orderQueryInput).query(async ({ ctx, input }) => {
    const page = pageOf(await queryOrders(ctx, input), input);
    const rows = input.live ? await withLiveVolumes(ctx, page.items) : page.items;
    return { items: rows.map((row) => presentOrder(row)), nextCursor: page.nextCursor };
  }),

  /** One order by hash, with its state re-read on chain. */
  get: publicProcedure.input(z.object({ hash: bytes32Schema })).query(async ({ ctx, input }) => {
    const [row] = await ctx.db.select().from(orders).where(eq(orders.hash, input.hash)).limit(1);
    if (!row) throw new NotIndexedError('order', input.hash);
    const [live] = await withLiveVolumes(ctx, [row]);
    return presentOrder(live as OrderRow);
  }),

  /** Several orders by hash (used by clients to refresh what they hold). */
  byHashes: publicProcedure.input(z.object({ hashes: z.array(bytes32Schema).max(100) })).query(async ({ ctx, input }) => {
    if (input.hashes.length === 0) return [];
    const rows = await ctx.db.select().from(orders).where(inArray(orders.hash, input.hashes));
    return rows.map((row) => presentOrder(row));
  }),
});
