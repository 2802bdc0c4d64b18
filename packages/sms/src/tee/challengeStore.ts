import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Hex } from 'viem';
import type { SmsDatabase } from '../db.js';
import { teeChallenges } from '../schema.js';
import { TeeChallengeExpiredError, TeeChallengeUsedError, UnknownTeeChallengeError } from './errors.js';

export type IssuedChallenge = { taskId: Hex; nonce: Hex; expiresAt: Date };

/** Nonces for enclave quotes: issued per task, consumed once, refused after they expire. */
export type ChallengeStore = {
  issue(taskId: Hex): Promise<IssuedChallenge>;
  /**
   * Marks the nonce used, in one statement, if it was issued for this task, is unexpired and unused;
   * otherwise throws the refusal that says which of these failed.
   */
  consume(nonce: Hex, taskId: Hex): Promise<void>;
};

/** Nonces live 10 minutes by default: long enough to start an enclave, short enough to be fresh. */
export const DEFAULT_CHALLENGE_TTL_SECONDS = 600;

// Rows are forgotten this long after they expire (a replay then reads as an unknown nonce: still refused).
const KEEP_AFTER_EXPIRY = '1 hour';

/**
 * The challenge store over the SMS database; expiry is judged by the database's clock.
 *
 * @example
 * const challenges = createChallengeStore({ db });
 * const { nonce } = await challenges.issue(taskId);
 * await challenges.consume(nonce, taskId);
 */
export function createChallengeStore({
  db,
  ttlSeconds = DEFAULT_CHALLENGE_TTL_SECONDS,
}: {
  db: SmsDatabase;
  ttlSeconds?: number | undefined;
}): ChallengeStore {
  return {
    async issue(taskId) {
      await db.delete(teeChallenges).where(lt(teeChallenges.expiresAt, sql`now() - ${KEEP_AFTER_EXPIRY}::interval`));
      const nonce = `0x${randomBytes(32).toString('hex')}` as Hex;
      const [row] = await db
        .insert(teeChallenges)
        .values({ nonce, taskId: taskId.toLowerCase(), expiresAt: sql`now() + make_interval(secs => ${ttlSeconds}::double precision)` })
        .returning({ expiresAt: teeChallenges.expiresAt });
      return { taskId, nonce, expiresAt: row?.expiresAt ?? new Date(Date.now() + ttlSeconds * 1000) };
    },
    async consume(nonce, taskId) {
      const task = taskId.toLowerCase();
      const consumed = await db
        .update(teeChallenges)
        .set({ usedAt: sql`now()` })
        .where(
          and(
            eq(teeChallenges.nonce, nonce.toLowerCase()),
            eq(teeChallenges.taskId, task),
            isNull(teeChallenges.usedAt),
            gt(teeChallenges.expiresAt, sql`now()`),
          ),
        )
        .returning({ nonce: teeChallenges.nonce });
      if (consumed.length > 0) return;
      const [row] = await db.select().from(teeChallenges).where(eq(teeChallenges.nonce, nonce.toLowerCase()));
      if (!row) throw new UnknownTeeChallengeError(taskId, 'unknown');
      if (row.taskId !== task) throw new UnknownTeeChallengeError(taskId, 'other-task');
      if (row.usedAt) throw new TeeChallengeUsedError(taskId);
      throw new TeeChallengeExpiredError(taskId, row.expiresAt);
    },
  };
}
