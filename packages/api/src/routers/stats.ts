import { apps, deals, indexerCursor, protectedData, tasks } from '@confidant/db';
import { countDistinct, eq, sql } from 'drizzle-orm';
import { publicProcedure, router } from '../trpc.js';

/** Marketplace-wide figures and the indexer's progress. */
export const statsRouter = router({
  overview: publicProcedure.query(async ({ ctx }) => {
    const [[appCounts], [dataCount], [taskCounts], [requesterCount], [cursor]] = await Promise.all([
      ctx.db.select({ total: sql<number>`count(*)::int`, listed: sql<number>`count(*) filter (where ${apps.listed})::int` }).from(apps),
      ctx.db.select({ total: sql<number>`count(*)::int` }).from(protectedData),
      ctx.db
        .select({ total: sql<number>`count(*)::int`, completed: sql<number>`count(*) filter (where ${tasks.status} = 'COMPLETED')::int` })
        .from(tasks),
      ctx.db.select({ total: countDistinct(deals.requester) }).from(deals),
      ctx.db.select().from(indexerCursor).where(eq(indexerCursor.id, 'poco')).limit(1),
    ]);
    return {
      apps: appCounts?.total ?? 0,
      listedApps: appCounts?.listed ?? 0,
      protectedData: dataCount?.total ?? 0,
      tasks: taskCounts?.total ?? 0,
      completedTasks: taskCounts?.completed ?? 0,
      requesters: requesterCount?.total ?? 0,
      indexedBlock: cursor?.lastBlock ?? null,
    };
  }),
});
