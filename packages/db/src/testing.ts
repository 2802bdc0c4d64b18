import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDb, type DbClient } from './client.js';
import { readDbEnv } from './env.js';

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or — when `DATABASE_URL` is set —
 * a new database on that PostgreSQL server, dropped again by `close()`.
 *
 * @example
 * const { db, close } = await createTestDb();
 * afterAll(close);
 */
export async function createTestDb(): Promise<DbClient & { url: string | undefined }> {
  const { databaseUrl } = readDbEnv();
  if (!databaseUrl) return { ...(await createDb()), url: undefined };
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const name = `confidant_test_${randomBytes(6).toString('hex')}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const client = await createDb({ url: url.toString() });
  return {
    ...client,
    url: url.toString(),
    async close() {
      await client.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    },
  };
}
