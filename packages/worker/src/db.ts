import { fileURLToPath } from 'node:url';
import { type DrizzleClient, openDatabase } from '@confidant/db';
import { WorkerDatabaseUnavailableError } from './errors.js';
import * as schema from './schema.js';

export type WorkerSchema = typeof schema;

export type WorkerDbClient = DrizzleClient<WorkerSchema>;

/** A drizzle database over either driver: the queries are the same. */
export type WorkerDatabase = WorkerDbClient['db'];

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
  return openDatabase({
    schema,
    url: parameters.url,
    dataDir: parameters.dataDir,
    poolSize: 5,
    migrationsFolder,
    migrationsTable,
    unavailable: (target, cause) => new WorkerDatabaseUnavailableError(target, cause),
  });
}
