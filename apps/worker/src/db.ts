import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { WorkerDatabaseUnavailableError } from './errors.js';
import * as schema from './schema.js';

export type WorkerSchema = typeof schema;

/** A drizzle database over either driver: the queries are the same. */
export type WorkerDatabase = PgDatabase<PgQueryResultHKT, WorkerSchema>;

export type WorkerDbClient = {
  db: WorkerDatabase;
  driver: 'pglite' | 'postgres';
  close(): Promise<void>;
};

export type CreateWorkerDbParameters = {
  /** A PostgreSQL URL; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite's data directory; in memory when absent. Ignored with `url`. */
  dataDir?: string | undefined;
};

// Resolved from this module's file, so it is found from src/ (tests) and from dist/ (the build).
const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));
// Its own bookkeeping table: the worker may share a PostgreSQL database with the marketplace's migrations.
const migrationsTable = '__confidant_worker_migrations';

/**
 * Opens the worker database — PostgreSQL when a URL is given, else embedded PGlite — and brings its
 * schema up to date.
 *
 * @example
 * const { db, close } = await createWorkerDb({ dataDir: '.data/worker-db' });
 */
export async function createWorkerDb(parameters: CreateWorkerDbParameters = {}): Promise<WorkerDbClient> {
  if (parameters.url) {
    const sql = postgres(parameters.url, { max: 5, onnotice: () => {} });
    const db = drizzlePostgres(sql, { schema });
    try {
      await migratePostgres(db, { migrationsFolder, migrationsTable });
    } catch (error) {
      await sql.end({ timeout: 1 });
      throw new WorkerDatabaseUnavailableError(redactUrl(parameters.url), error);
    }
    return { db: db as unknown as WorkerDatabase, driver: 'postgres', close: () => sql.end({ timeout: 5 }) };
  }
  const target = parameters.dataDir ?? 'in memory';
  let client: PGlite;
  try {
    // PGlite creates only the last directory of the path: a fresh `.data/worker-db` needs its parent.
    if (parameters.dataDir) mkdirSync(parameters.dataDir, { recursive: true });
    client = await PGlite.create(parameters.dataDir ?? 'memory://');
  } catch (error) {
    throw new WorkerDatabaseUnavailableError(target, error);
  }
  const db = drizzlePglite(client, { schema });
  try {
    await migratePglite(db, { migrationsFolder, migrationsTable });
  } catch (error) {
    await client.close();
    throw new WorkerDatabaseUnavailableError(target, error);
  }
  return { db: db as unknown as WorkerDatabase, driver: 'pglite', close: () => client.close() };
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an invalid URL';
  }
}
