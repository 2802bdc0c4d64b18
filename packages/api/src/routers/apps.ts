import { getAssetOwner } from '@confidant/contracts';
import { apps, appVersions, deals, rewards, tasks } from '@confidant/db';
import { and, asc, countDistinct, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { type Address, isAddressEqual } from 'viem';
import { z } from 'zod';
import { NotIndexedError, NotOwnerError } from '@confidant/errors/api';
import { addressSchema, dataSchemaSchema, paginationSchema, uintSchema } from '../schemas.js';
import { ensureIndexed } from '../store/assets.js';
import { recordAudit } from '../store/audit.js';
import { pageOf } from '../store/page.js';
import { authedProcedure, publicProcedure, router } from '../trpc.js';

const catalogueInput = paginationSchema.extend({
  /** Full-text search over title, name, tags, description and publisher. */
  q: z.string().trim().min(1).max(200).optional(),
  category: z.string().max(40).optional(),
  teeFramework: z.enum(['tdx', 'scone', 'gramine']).optional(),
  minPrice: uintSchema.optional(),
  maxPrice: uintSchema.optional(),
  /** "Works with my data": apps whose required schema this protected data schema contains. */
  schema: dataSchemaSchema.optional(),
  publisher: addressSchema.optional(),
  sort: z.enum(['newest', 'mostUsed', 'priceAsc', 'priceDesc', 'relevance']).default('newest'),
  /** Unlisted apps (registered, never published) are hidden unless asked for. */
  includeUnlisted: z.boolean().default(false),
});

const listingInput = z.object({
  address: addressSchema,
  title: z.string().trim().min(1).max(120),
  description: z.string().max(20_000).default(''),
  category: z.string().trim().min(1).max(40),
  tags: z.array(z.string().trim().min(1).max(30)).max(10).default([]),
  requiredSchema: dataSchemaSchema.nullable().default(null),
  argsDescription: z.string().max(2_000).nullable().default(null),
  secretsDescription: z.string().max(2_000).nullable().default(null),
  inputFilesDescription: z.string().max(2_000).nullable().default(null),
  price: uintSchema,
  sourceUrl: z
    .string()
    .url()
    .max(500)
    .refine((url) => /^https?:\/\//.test(url), 'must be an http(s) URL')
    .nullable()
    .default(null),
});

const cardColumns = {
  address: apps.address,
  owner: apps.owner,
  name: apps.name,
  title: apps.title,
  category: apps.category,
  tags: apps.tags,
  price: apps.price,
  teeFramework: apps.teeFramework,
  usageCount: apps.usageCount,
  listed: apps.listed,
  createdAt: apps.createdAt,
  summary: sql<string>`left(coalesce(${apps.description}, ''), 280)`,
};

/** iApps: the catalogue, one app's page, its listing and its usage. */
export const appsRouter = router({
  /** The catalogue: search, filters, sorting, pagination. */
  list: publicProcedure.input(catalogueInput).query(async ({ ctx, input }) => {
    const where: SQL[] = [];
    if (!input.includeUnlisted) where.push(eq(apps.listed, true));
    if (input.q) where.push(sql`${apps.search} @@ websearch_to_tsquery('english', ${input.q})`);
    if (input.category) where.push(eq(apps.category, input.category));
    if (input.teeFramework) where.push(eq(apps.teeFramework, input.teeFramework));
    if (input.minPrice !== undefined) where.push(gte(apps.price, input.minPrice));
    if (input.maxPrice !== undefined) where.push(lte(apps.price, input.maxPrice));
    if (input.publisher) where.push(eq(apps.owner, input.publisher));
    if (input.schema)
      where.push(sql`${apps.requiredSchema} is not null and ${JSON.stringify(input.schema)}::jsonb @> ${apps.requiredSchema}`);
    const order = {
      newest: [desc(apps.createdBlock), desc(apps.address)],
      mostUsed: [desc(apps.usageCount), desc(apps.address)],
      priceAsc: [sql`${apps.price} asc nulls last`, asc(apps.address)],
      priceDesc: [sql`${apps.price} desc nulls last`, asc(apps.address)],
      relevance: input.q
        ? [sql`ts_rank(${apps.search}, websearch_to_tsquery('english', ${input.q})) desc`, desc(apps.address)]
        : [desc(apps.createdBlock), desc(apps.address)],
    }[input.sort];
    if (input.sort === 'relevance' && input.q) {
      // Ranking sorts every match: rank addresses alone first, then read the page's cards, so the
      // card columns (a description's summary above all) are read for one page, not every match.
      const ranked = await ctx.db
        .select({ address: apps.address })
        .from(apps)
        .where(and(...where))
        .orderBy(...order)
        .limit(input.limit + 1)
        .offset(input.cursor ?? 0);
      const cards =
        ranked.length === 0
          ? []
          : await ctx.db
              .select(cardColumns)
              .from(apps)
              .where(
                inArray(
                  apps.address,
                  ranked.map((row) => row.address),
                ),
              );
      const byAddress = new Map(cards.map((card) => [card.address, card]));
      return pageOf(
        ranked.map((row) => byAddress.get(row.address)).filter((card) => card !== undefined),
        input,
      );
    }
    const rows = await ctx.db
      .select(cardColumns)
      .from(apps)
      .where(and(...where))
      .orderBy(...order)
      .limit(input.limit + 1)
      .offset(input.cursor ?? 0);
    return pageOf(rows, input);
  }),

  /** One app: chain facts, listing and usage. */
  get: publicProcedure.input(z.object({ address: addressSchema })).query(async ({ ctx, input }) => {
    const [app] = await ctx.db.select().from(apps).where(eq(apps.address, input.address)).limit(1);
    if (!app) throw new NotIndexedError('app', input.address);
    const { search: _search, ...fields } = app;
    return fields;
  }),

  /** Every published version of an app's listing, newest first. */
  versions: publicProcedure
    .input(z.object({ address: addressSchema }))
    .query(({ ctx, input }) =>
      ctx.db.select().from(appVersions).where(eq(appVersions.app, input.address)).orderBy(desc(appVersions.version)),
    ),

  /** Usage of an app: tasks by status, distinct requesters, and what its owner earned from it. */
  stats: publicProcedure.input(z.object({ address: addressSchema })).query(async ({ ctx, input }) => {
    const [app] = await ctx.db.select({ owner: apps.owner }).from(apps).where(eq(apps.address, input.address)).limit(1);
    if (!app) throw new NotIndexedError('app', input.address);
    const byStatus = await ctx.db
      .select({ status: tasks.status, count: sql<number>`count(*)::int` })
      .from(tasks)
      .innerJoin(deals, eq(tasks.dealId, deals.dealId))
      .where(eq(deals.app, input.address))
      .groupBy(tasks.status);
    const [people] = await ctx.db
      .select({ requesters: countDistinct(deals.requester) })
      .from(deals)
      .where(eq(deals.app, input.address));
    const [earned] = await ctx.db
      .select({ total: sql<string>`coalesce(sum(${rewards.amount}), 0)::text` })
      .from(rewards)
      .where(
        and(
          eq(rewards.account, app.owner),
          eq(rewards.kind, 'reward'),
          inArray(
            rewards.taskId,
            ctx.db
              .select({ id: tasks.taskId })
              .from(tasks)
              .innerJoin(deals, eq(tasks.dealId, deals.dealId))
              .where(eq(deals.app, input.address)),
          ),
        ),
      );
    const count = (status: string) => byStatus.find((row) => row.status === status)?.count ?? 0;
    return {
      tasks: byStatus.reduce((sum, row) => sum + row.count, 0),
      completed: count('COMPLETED'),
      failed: count('FAILED'),
      active: count('ACTIVE') + count('REVEALING'),
      requesters: people?.requesters ?? 0,
      earnings: BigInt(earned?.total ?? '0'),
    };
  }),

  /** Publishes or edits an app's listing; only the app's on-chain owner may. */
  upsertListing: authedProcedure.input(listingInput).mutation(async ({ ctx, input }) => {
    const owner = await getAssetOwner(ctx.poco, { kind: 'app', address: input.address });
    if (!isAddressEqual(owner, ctx.account)) throw new NotOwnerError('app', input.address, owner, ctx.account);
    await ensureIndexed(ctx.db, ctx.poco, 'app', input.address as Address);
    const { address, ...listing } = input;
    return ctx.db.transaction(async (tx) => {
      const [updated] = await tx
        .update(apps)
        .set({
          ...listing,
          listed: true,
          version: sql`${apps.version} + 1`,
          listedAt: sql`coalesce(${apps.listedAt}, now())`,
          updatedAt: new Date(),
        })
        .where(eq(apps.address, address))
        .returning({ version: apps.version });
      const version = updated?.version ?? 1;
      await tx
        .insert(appVersions)
        .values({ app: address, version, listing: { ...listing, price: listing.price.toString() }, editor: ctx.account.toLowerCase() });
      await recordAudit(tx, {
        actor: ctx.account,
        action: 'listing.updated',
        subject: address,
        details: { version, title: listing.title, price: listing.price.toString() },
      });
      return { address, version };
    });
  }),
});
