export { createDb, type CreateDbParameters, type Database, type DbClient, type Schema } from './client.js';
export { openDatabase, redact, type DrizzleClient, type OpenDatabaseParameters } from './open.js';
export { readDbEnv } from './env.js';
export { DatabaseUnavailableError } from './errors.js';
export * as schema from './schema.js';
export * from './schema.js';
