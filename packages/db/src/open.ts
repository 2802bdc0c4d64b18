import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

/** A drizzle database over either driver, for a given schema: the queries are the same. */
export type DrizzleClient<schema extends Record<string, unknown>> = {
  db: PgDatabase<PgQueryResultHKT, schema>;
  driver: 'pglite' | 'postgres';
  close(): Promise<void>;
};

export type OpenDatabaseParameters<schema extends Record<string, unknown>> = {
  schema: schema;
  /** A PostgreSQL URL; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite's data directory (its parents are created); in memory when absent. Ignored with `url`. */
  dataDir?: string | undefined;
  /** The drizzle-kit migrations of this schema; `undefined` skips migrating (only checks the connection). */
  migrationsFolder?: string | undefined;
  /** The table recording applied migrations: services sharing one PostgreSQL database each keep their own. */
  migrationsTable?: string | undefined;
  poolSize?: number | undefined;
  /** The typed error to throw when the database cannot be opened (`target` never holds a password). */
  unavailable: (target: string, cause: unknown) => Error;
};

/**
 * Opens a service's database — PostgreSQL when a URL is given, else embedded PGlite — and brings
 * its schema up to date. The marketplace, the SMS and the worker each open theirs with it.
 *
 * @example
 * const { db, close } = await openDatabase({ schema, dataDir: '.data/sms-db', migrationsFolder, unavailable: (target, cause) => new MyError(target, cause) });
 */
export async function openDatabase<schema extends Record<string, unknown>>(
  parameters: OpenDatabaseParameters<schema>,
): Promise<DrizzleClient<schema>> {
  const { schema, migrationsFolder, migrationsTable } = parameters;
  if (parameters.url) {
    const sql = postgres(parameters.url, { max: parameters.poolSize ?? 10, onnotice: () => {} });
    const db = drizzlePostgres(sql, { schema });
    try {
      if (migrationsFolder) await migratePostgres(db, { migrationsFolder, migrationsTable });
      else await sql`select 1`;
    } catch (error) {
      await sql.end({ timeout: 1 });
      throw parameters.unavailable(redact(parameters.url), error);
    }
    return { db: db as unknown as PgDatabase<PgQueryResultHKT, schema>, driver: 'postgres', close: () => sql.end({ timeout: 5 }) };
  }
  const target = parameters.dataDir ?? 'in memory';
  let client: PGlite;
  try {
    // PGlite creates only the last directory of the path: a fresh `.data/x-db` needs its parent.
    if (!parameters.dataDir) {
      const loadDataDir = await clusterTemplate();
      client = await PGlite.create('memory://', loadDataDir ? { loadDataDir } : {});
    } else {
      const template =
        !existsSync(parameters.dataDir) || readdirSync(parameters.dataDir).length === 0 ? await clusterTemplateDir() : undefined;
      if (template) cpSync(template, parameters.dataDir, { recursive: true });
      else mkdirSync(parameters.dataDir, { recursive: true });
      client = await PGlite.create(parameters.dataDir);
    }
  } catch (error) {
    throw parameters.unavailable(target, error);
  }
  const db = drizzlePglite(client, { schema });
  if (migrationsFolder) {
    try {
      await migratePglite(db, { migrationsFolder, migrationsTable });
    } catch (error) {
      await client.close();
      throw parameters.unavailable(target, error);
    }
  }
  return { db: db as unknown as PgDatabase<PgQueryResultHKT, schema>, driver: 'pglite', close: () => client.close() };
}

// src/open.ts and dist/open.js are both one folder below the package: the templates are in dist.
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

let templateReady: Promise<boolean> | undefined;
let template: Promise<Blob | undefined> | undefined;

/**
 * Whether the empty cluster the build saved (scripts/pglite-template.mjs) exists and was made by
 * the PGlite installed now: a new database starts from it instead of running initdb. Without it
 * (no build yet, another PGlite) a database is created the normal, slower, way.
 */
function templateUsable(): Promise<boolean> {
  templateReady ??= readFile(join(dist, 'pglite-template.json'), 'utf8')
    .then((text) => (JSON.parse(text) as { pglite?: unknown }).pglite === installedPgliteVersion())
    .catch(() => false);
  return templateReady;
}

/** The template as a tar, for in-memory databases (read once per process). */
function clusterTemplate(): Promise<Blob | undefined> {
  template ??= templateUsable()
    .then(async (usable) => (usable ? new Blob([await readFile(join(dist, 'pglite-template.tar'))]) : undefined))
    .catch(() => undefined);
  return template;
}

/** The template as a folder, for on-disk databases (copied). */
async function clusterTemplateDir(): Promise<string | undefined> {
  const dir = join(dist, 'pglite-template');
  return (await templateUsable()) && existsSync(join(dir, 'PG_VERSION')) ? dir : undefined;
}

function installedPgliteVersion(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
    return (require(manifest) as { version?: string }).version;
  } catch {
    return undefined;
  }
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
