import { bigint, index, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/**
 * Where a task is in this worker's hands:
 * PENDING (seen in a deal) → INITIALIZED (ACTIVE on chain) → RUNNING (in the enclave) →
 * FINALIZING (result signed and stored here, contributeAndFinalize sent or about to be) → COMPLETED;
 * FAILED when the app fails, the deadline passes or the chain refuses.
 */
export const taskStatus = pgEnum('worker_task_status', ['PENDING', 'INITIALIZED', 'RUNNING', 'FINALIZING', 'COMPLETED', 'FAILED']);

/** The last block whose deals were recorded, per workerpool: the watcher resumes after it. */
export const cursors = pgTable('worker_cursors', {
  /** Lowercase workerpool address. */
  workerpool: text('workerpool').primaryKey(),
  block: bigint('block', { mode: 'bigint' }).notNull(),
  updatedAt: updatedAt(),
});

/** Deals matched on this workerpool, as read from the chain when they were seen. */
export const deals = pgTable('worker_deals', {
  dealId: text('deal_id').primaryKey(),
  workerpool: text('workerpool').notNull(),
  app: text('app').notNull(),
  /** The zero address when the deal uses no dataset. */
  dataset: text('dataset').notNull(),
  requester: text('requester').notNull(),
  beneficiary: text('beneficiary').notNull(),
  category: bigint('category', { mode: 'bigint' }).notNull(),
  params: text('params').notNull(),
  botFirst: bigint('bot_first', { mode: 'bigint' }).notNull(),
  botSize: bigint('bot_size', { mode: 'bigint' }).notNull(),
  blockNumber: bigint('block_number', { mode: 'bigint' }).notNull(),
  createdAt: createdAt(),
});

/**
 * Every task of those deals. The signed result is kept before contributeAndFinalize is sent, so a
 * restart can finish the task (after checking the chain) without running it again.
 */
export const tasks = pgTable(
  'worker_tasks',
  {
    taskId: text('task_id').primaryKey(),
    dealId: text('deal_id')
      .notNull()
      .references(() => deals.dealId),
    index: bigint('idx', { mode: 'bigint' }).notNull(),
    status: taskStatus('status').notNull().default('PENDING'),
    /** Enclave runs started (a run interrupted by a crash counts). */
    attempts: integer('attempts').notNull().default(0),
    /** Why the task failed (or the last error the worker retries after). */
    cause: text('cause'),
    /** The task's log: the worker's steps and the enclave's output, served to the requester only. */
    logs: text('logs').notNull().default(''),
    enclaveChallenge: text('enclave_challenge'),
    resultDigest: text('result_digest'),
    results: text('results'),
    /** Callback data of a callback deal, `0x` otherwise. */
    resultsCallback: text('results_callback'),
    enclaveSign: text('enclave_sign'),
    authorizationSign: text('authorization_sign'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('worker_tasks_status_idx').on(t.status), index('worker_tasks_deal_idx').on(t.dealId)],
);
