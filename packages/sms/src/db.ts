import { fileURLToPath } from 'node:url';
import { type DrizzleClient, openDatabase } from '@confidant/db';
import { SmsDatabaseUnavailableError } from './errors.js';
import * as schema from './schema.js';

export type SmsSchema = typeof schema;

export type SmsDbClient = DrizzleClient<SmsSchema>;

/** A drizzle database over either driver: the queries are the same. */
export type SmsDatabase = SmsDbClient['db'];

export type CreateSmsDbParameters = {
  /** A PostgreSQL URL; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite's data directory; in memory when absent. Ignored with `url`. */
  dataDir?: string | undefined;
};

// Resolved from this module's file, so it is found from src/ (tests) and from dist/ (the build).
const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));
// Its own bookkeeping table: the SMS may share a PostgreSQL database with the marketplace's migrations.
const migrationsTable = '__confidant_sms_migrations';

/**
 * Opens the SMS database — PostgreSQL when a URL is given, else embedded PGlite — and brings its
 * schema up to date.
 *
 * @example
 * const { db, close } = await createSmsDb({ dataDir: '.data/sms-db' });
 */
export async function createSmsDb(parameters: CreateSmsDbParameters = {}): Promise<SmsDbClient> {
  return openDatabase({
    schema,
    url: parameters.url,
    dataDir: parameters.dataDir,
    poolSize: 5,
    migrationsFolder,
    migrationsTable,
    unavailable: (target, cause) => new SmsDatabaseUnavailableError(target, cause),
  });
}
