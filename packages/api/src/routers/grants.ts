import { orders, protectedData } from '@confidant/db';
import { eq, inArray, type SQL } from 'drizzle-orm';
import type { Address } from 'viem';
import { z } from 'zod';
import { addressSchema, paginationSchema } from '../schemas.js';
import { type OrderRow, presentOrderOf } from '../store/orderbook.js';
import { pageOf } from '../store/page.js';
import { publicProcedure, router } from '../trpc.js';
import { queryOrders, withLiveVolumes } from './orders.js';

/** A grant as a data owner thinks of it: which app, which user, what price, uses left, until when. */
function presentGrant(row: OrderRow) {
  const order = presentOrderOf('dataset', row);
  return {
    hash: order.hash,
    dataset: row.dataset as Address,
    /** null: any app. */
    app: row.app as Address | null,
    /** null: any requester. */
    requester: row.requester as Address | null,
    /** null: any workerpool. */
    workerpool: row.workerpool as Address | null,
    pricePerUse: row.price,
    uses: row.volume,
    usesLeft: order.remaining,
    status: order.status,
    revoked: order.cancelled,
    expiresAt: row.expiresAt,
    publishedAt: row.publishedAt,
    order: order.order,
  };
}

/** Grants: dataset orders by protected data, owner, app or requester. */
export const grantsRouter = router({
  list: publicProcedure
    .input(
      paginationSchema.extend({
        dataset: addressSchema.optional(),
        /** Every grant of every protected data of this owner. */
        owner: addressSchema.optional(),
        app: addressSchema.optional(),
        requester: addressSchema.optional(),
        /** Also revoked and used-up grants (expired ones are never served). */
        includeClosed: z.boolean().default(false),
        live: z.boolean().default(false),
      }),
    )
    .query(async ({ ctx, input }) => {
      const extra: SQL[] = [];
      if (input.owner)
        extra.push(
          inArray(
            orders.dataset,
            ctx.db.select({ address: protectedData.address }).from(protectedData).where(eq(protectedData.owner, input.owner)),
          ),
        );
      const page = pageOf(
        await queryOrders(ctx, { ...input, kind: 'dataset', subject: input.dataset, sort: 'newest', dataset: undefined }, extra),
        input,
      );
      const rows = input.live ? await withLiveVolumes(ctx, page.items) : page.items;
      return { items: rows.map(presentGrant), nextCursor: page.nextCursor };
    }),
});
