import { auditLog, type Database } from '@confidant/db';

type Executor = Pick<Database, 'insert'>;

export type AuditEntry = {
  actor: string;
  /** What happened, e.g. `grant.published`, `grant.revoked`, `listing.updated`, `task.completed`. */
  action: string;
  /** The id of what it happened to (an address, an order hash, a task id). */
  subject: string;
  details?: Record<string, unknown>;
  txHash?: string | undefined;
};

/**
 * Writes one audit row. Call it with the transaction that makes the change it records, so that
 * the change and its record commit or roll back together.
 *
 * @example
 * await db.transaction(async (tx) => { await tx.update(…); await recordAudit(tx, { actor, action, subject }); });
 */
export function recordAudit(tx: Executor, entry: AuditEntry): Promise<void> {
  return recordAudits(tx, [entry]);
}

/** Writes several audit rows in one statement (same rule: inside the change's transaction). */
export async function recordAudits(tx: Executor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.insert(auditLog).values(
    entries.map((entry) => ({
      actor: entry.actor.toLowerCase(),
      action: entry.action,
      subject: entry.subject.toLowerCase(),
      details: entry.details ?? {},
      txHash: entry.txHash?.toLowerCase() ?? null,
    })),
  );
}
