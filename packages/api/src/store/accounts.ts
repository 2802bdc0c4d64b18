import { accounts, type Database } from '@confidant/db';
import { sql } from 'drizzle-orm';

type Executor = Pick<Database, 'insert'>;

/** Records an account the marketplace met (idempotent); a sign-in also stamps its time. */
export async function ensureAccount(db: Executor, address: string, options: { signedIn?: boolean } = {}): Promise<void> {
  const now = new Date();
  await db
    .insert(accounts)
    .values({ address: address.toLowerCase(), lastSignInAt: options.signedIn ? now : null })
    .onConflictDoUpdate({
      target: accounts.address,
      set: options.signedIn ? { lastSignInAt: now } : { address: sql`excluded.address` },
    });
}
