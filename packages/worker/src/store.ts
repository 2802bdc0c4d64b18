import { computeTaskId } from '@confidant/contracts';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Address, Hex } from 'viem';
import type { WorkerDatabase } from './db.js';
import { cursors, deals, tasks, type taskStatus } from './schema.js';

export type TaskStatus = (typeof taskStatus.enumValues)[number];
export type TaskRow = typeof tasks.$inferSelect;
export type DealRow = typeof deals.$inferSelect;
export type NewDeal = Omit<typeof deals.$inferInsert, 'createdAt'>;

/** What a step changes besides the status; `log` lines are appended to the task's log with a timestamp. */
export type TaskPatch = {
  cause?: string | null | undefined;
  log?: readonly string[] | undefined;
  /** Raw output appended as is (an enclave's log). */
  output?: string | undefined;
  incrementAttempts?: boolean | undefined;
  result?:
    | { enclaveChallenge: Address; resultDigest: Hex; results: Hex; resultsCallback: Hex; enclaveSign: Hex; authorizationSign: Hex }
    | undefined;
};

/** The statuses a task leaves only by the worker's action; COMPLETED and FAILED are final. */
export const openStatuses: readonly TaskStatus[] = ['PENDING', 'INITIALIZED', 'RUNNING', 'FINALIZING'];

export type TaskStore = ReturnType<typeof createTaskStore>;

/**
 * The worker's state: the block cursor, the deals seen and their tasks. Every status change is a
 * conditional update (`WHERE status IN (from)`), so a step that lost a race changes nothing.
 *
 * @example
 * const store = createTaskStore(db);
 * const moved = await store.transition(taskId, ['INITIALIZED'], 'RUNNING', { incrementAttempts: true });
 */
export function createTaskStore(db: WorkerDatabase) {
  return {
    async readCursor(workerpool: Address): Promise<bigint | undefined> {
      const [row] = await db.select().from(cursors).where(eq(cursors.workerpool, workerpool.toLowerCase()));
      return row?.block;
    },

    /** Records deals, their tasks (PENDING) and the new cursor in one transaction: a crash keeps all or none. */
    async recordDeals(workerpool: Address, found: readonly NewDeal[], block: bigint): Promise<void> {
      await db.transaction(async (tx) => {
        for (const deal of found) {
          const inserted = await tx.insert(deals).values(deal).onConflictDoNothing().returning({ dealId: deals.dealId });
          if (inserted.length === 0) continue;
          const rows = [];
          for (let index = deal.botFirst; index < deal.botFirst + deal.botSize; index++)
            rows.push({ taskId: taskIdOf(deal, index), dealId: deal.dealId, index });
          if (rows.length > 0) await tx.insert(tasks).values(rows).onConflictDoNothing();
        }
        await tx
          .insert(cursors)
          .values({ workerpool: workerpool.toLowerCase(), block })
          .onConflictDoUpdate({ target: cursors.workerpool, set: { block, updatedAt: sql`now()` } });
      });
    },

    async tasksIn(statuses: readonly TaskStatus[]): Promise<TaskRow[]> {
      return db
        .select()
        .from(tasks)
        .where(inArray(tasks.status, [...statuses]))
        .orderBy(tasks.createdAt, tasks.index);
    },

    async task(taskId: Hex): Promise<TaskRow | undefined> {
      const [row] = await db.select().from(tasks).where(eq(tasks.taskId, taskId.toLowerCase()));
      return row;
    },

    async deal(dealId: Hex | string): Promise<DealRow | undefined> {
      const [row] = await db.select().from(deals).where(eq(deals.dealId, dealId.toLowerCase()));
      return row;
    },

    /** Moves a task from one of `from` to `to`; undefined when it was not in `from` (nothing changed). */
    async transition(
      taskId: Hex | string,
      from: readonly TaskStatus[],
      to: TaskStatus,
      patch: TaskPatch = {},
    ): Promise<TaskRow | undefined> {
      const [row] = await db
        .update(tasks)
        .set({ status: to, updatedAt: sql`now()`, ...changes(patch) })
        .where(and(eq(tasks.taskId, taskId.toLowerCase()), inArray(tasks.status, [...from])))
        .returning();
      return row;
    },

    /** Appends to a task's log (and sets its cause) without changing its status. */
    async note(taskId: Hex | string, patch: Pick<TaskPatch, 'log' | 'cause'>): Promise<void> {
      await db
        .update(tasks)
        .set({ updatedAt: sql`now()`, ...changes(patch) })
        .where(eq(tasks.taskId, taskId.toLowerCase()));
    },

    async countByStatus(): Promise<Record<string, number>> {
      const rows = await db.select({ status: tasks.status, count: sql<number>`count(*)::int` }).from(tasks).groupBy(tasks.status);
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
    },
  };
}

function changes(patch: TaskPatch) {
  // The enclave's output first (it happened before the worker's note about it), ending its last line.
  const output = patch.output ? (patch.output.endsWith('\n') ? patch.output : `${patch.output}\n`) : '';
  const text = output + (patch.log ?? []).map((line) => `${new Date().toISOString()} [worker] ${line}\n`).join('');
  return {
    ...(patch.cause !== undefined ? { cause: patch.cause } : {}),
    ...(text ? { logs: sql`${tasks.logs} || ${text}` } : {}),
    ...(patch.incrementAttempts ? { attempts: sql`${tasks.attempts} + 1` } : {}),
    ...(patch.result
      ? {
          enclaveChallenge: patch.result.enclaveChallenge,
          resultDigest: patch.result.resultDigest,
          results: patch.result.results,
          resultsCallback: patch.result.resultsCallback,
          enclaveSign: patch.result.enclaveSign,
          authorizationSign: patch.result.authorizationSign,
        }
      : {}),
  };
}

function taskIdOf(deal: NewDeal, index: bigint): string {
  return computeTaskId(deal.dealId as Hex, index).toLowerCase();
}
