import { getAssetOwner } from '@confidant/contracts';
import { protectedData } from '@confidant/db';
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { type Address, isAddressEqual } from 'viem';
import { z } from 'zod';
import { NotIndexedError, NotOwnerError } from '@confidant/errors/api';
import { addressSchema, dataSchemaSchema, paginationSchema } from '../schemas.js';
import { ensureIndexed } from '../store/assets.js';
import { recordAudit } from '../store/audit.js';
import { pageOf } from '../store/page.js';
import { authedProcedure, publicProcedure, router } from '../trpc.js';

/** Protected data: find by owner or schema, read one, register its schema. */
export const protectedDataRouter = router({
  /** Protected data by owner and/or by a schema they must contain (what an app requires). */
  list: publicProcedure
    .input(paginationSchema.extend({ owner: addressSchema.optional(), requiredSchema: dataSchemaSchema.optional() }))
    .query(async ({ ctx, input }) => {
      const where: SQL[] = [];
      if (input.owner) where.push(eq(protectedData.owner, input.owner));
      if (input.requiredSchema) where.push(sql`${protectedData.schema} @> ${JSON.stringify(input.requiredSchema)}::jsonb`);
      const rows = await ctx.db
        .select()
        .from(protectedData)
        .where(and(...where))
        .orderBy(desc(protectedData.createdAt), desc(protectedData.address))
        .limit(input.limit + 1)
        .offset(input.cursor ?? 0);
      return pageOf(rows, input);
    }),

  get: publicProcedure.input(z.object({ address: addressSchema })).query(async ({ ctx, input }) => {
    const [row] = await ctx.db.select().from(protectedData).where(eq(protectedData.address, input.address)).limit(1);
    if (!row) throw new NotIndexedError('protected data', input.address);
    return row;
  }),

  /** Records the schema of a protected data; only its on-chain owner may. */
  registerSchema: authedProcedure.input(z.object({ address: addressSchema, schema: dataSchemaSchema })).mutation(async ({ ctx, input }) => {
    const owner = await getAssetOwner(ctx.poco, { kind: 'dataset', address: input.address });
    if (!isAddressEqual(owner, ctx.account)) throw new NotOwnerError('protected data', input.address, owner, ctx.account);
    await ensureIndexed(ctx.db, ctx.poco, 'dataset', input.address as Address);
    await ctx.db.transaction(async (tx) => {
      await tx.update(protectedData).set({ schema: input.schema, updatedAt: new Date() }).where(eq(protectedData.address, input.address));
      await recordAudit(tx, {
        actor: ctx.account,
        action: 'protectedData.schemaRegistered',
        subject: input.address,
        details: { schema: input.schema },
      });
    });
    return { address: input.address, schema: input.schema };
  }),
});
