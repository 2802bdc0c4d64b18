import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { DatabaseUnavailableError } from './errors.js';
import { type DrizzleClient, openDatabase } from './open.js';
import * as schema from './schema.js';

export type Schema = typeof schema;

/** A drizzle database over either driver: the queries are the same. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type DbClient = DrizzleClient<Schema> & { db: Database };

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
  const client = await openDatabase({
    schema,
    url: parameters.url,
    dataDir: parameters.dataDir,
    poolSize: parameters.poolSize,
    migrationsFolder: (parameters.migrate ?? true) ? migrationsFolder : undefined,
    unavailable: (target, cause) => new DatabaseUnavailableError(target, cause),
  });
  return client;
}
