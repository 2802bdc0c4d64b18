import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { DatabaseUnavailableError } from './errors.js';
import * as schema from './schema.js';

export type Schema = typeof schema;

/** A drizzle database over either driver: the queries are the same. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type DbClient = {
  db: Database;
  driver: 'pglite' | 'postgres';
  close(): Promise<void>;
};

export type CreateDbParameters = {
  /** A PostgreSQL URL (`DATABASE_URL`); when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite's data directory; in memory when absent. Ignored with `url`. */
  dataDir?: string | undefined;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number | undefined;
  /** Run pending migrations first (default true). */
  migrate?: boolean | undefined;
};

const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/**
 * Opens the marketplace database — PostgreSQL when a URL is given, else embedded PGlite — and
 * brings its schema up to date.
 *
 * @example
 * const { db, close } = await createDb({ url: readDbEnv().databaseUrl, dataDir: '.data/db' });
 */
export async function createDb(parameters: CreateDbParameters = {}): Promise<DbClient> {
  const migrate = parameters.migrate ?? true;
  if (parameters.url) {
    const sql = postgres(parameters.url, { max: parameters.poolSize ?? 10, onnotice: () => {} });
    const db = drizzlePostgres(sql, { schema });
    try {
      if (migrate) await migratePostgres(db, { migrationsFolder });
      else await sql`select 1`;
    } catch (error) {
      await sql.end({ timeout: 1 });
      throw new DatabaseUnavailableError(redact(parameters.url), error);
    }
    return { db: db as unknown as Database, driver: 'postgres', close: () => sql.end({ timeout: 5 }) };
  }
  let client: PGlite;
  try {
    client = await PGlite.create(parameters.dataDir ?? 'memory://');
  } catch (error) {
    throw new DatabaseUnavailableError(parameters.dataDir ?? 'in memory', error);
  }
  const db = drizzlePglite(client, { schema });
  if (migrate) {
    try {
      await migratePglite(db, { migrationsFolder });
    } catch (error) {
      await client.close();
      throw new DatabaseUnavailableError(parameters.dataDir ?? 'in memory', error);
    }
  }
  return { db: db as unknown as Database, driver: 'pglite', close: () => client.close() };
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an invalid URL';
  }
}
