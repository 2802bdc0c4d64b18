import { deals, tasks } from '@confidant/db';
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { NotIndexedError } from '@confidant/errors/api';
import { addressSchema, bytes32Schema, paginationSchema } from '../schemas.js';
import { pageOf } from '../store/page.js';
import { publicProcedure, router } from '../trpc.js';

const taskColumns = {
  taskId: tasks.taskId,
  dealId: tasks.dealId,
  index: tasks.index,
  status: tasks.status,
  resultDigest: tasks.resultDigest,
  resultLocation: tasks.resultLocation,
  initializedAt: tasks.initializedAt,
  completedAt: tasks.completedAt,
  app: deals.app,
  dataset: deals.dataset,
  workerpool: deals.workerpool,
  requester: deals.requester,
  beneficiary: deals.beneficiary,
  appPrice: deals.appPrice,
  datasetPrice: deals.datasetPrice,
  workerpoolPrice: deals.workerpoolPrice,
  tag: deals.tag,
  params: deals.params,
};

/** Tasks: every use of apps and protected data, by requester, app, dataset or deal. */
export const tasksRouter = router({
  list: publicProcedure
    .input(
      paginationSchema.extend({
        requester: addressSchema.optional(),
        app: addressSchema.optional(),
        dataset: addressSchema.optional(),
        dealId: bytes32Schema.optional(),
        status: z.enum(['ACTIVE', 'REVEALING', 'COMPLETED', 'FAILED']).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const where: SQL[] = [];
      if (input.requester) where.push(eq(deals.requester, input.requester));
      if (input.app) where.push(eq(deals.app, input.app));
      if (input.dataset) where.push(eq(deals.dataset, input.dataset));
      if (input.dealId) where.push(eq(tasks.dealId, input.dealId));
      if (input.status) where.push(eq(tasks.status, input.status));
      const rows = await ctx.db
        .select(taskColumns)
        .from(tasks)
        .innerJoin(deals, eq(tasks.dealId, deals.dealId))
        .where(and(...where))
        .orderBy(desc(tasks.initializedAt), desc(tasks.taskId))
        .limit(input.limit + 1)
        .offset(input.cursor ?? 0);
      return pageOf(rows, input);
    }),

  get: publicProcedure.input(z.object({ taskId: bytes32Schema })).query(async ({ ctx, input }) => {
    const [row] = await ctx.db
      .select(taskColumns)
      .from(tasks)
      .innerJoin(deals, eq(tasks.dealId, deals.dealId))
      .where(eq(tasks.taskId, input.taskId))
      .limit(1);
    if (!row) throw new NotIndexedError('task', input.taskId);
    return row;
  }),
});
