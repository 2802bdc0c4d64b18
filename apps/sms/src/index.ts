export { createSmsDb, type CreateSmsDbParameters, type SmsDatabase, type SmsDbClient, type SmsSchema } from './db.js';
export { openSecretStore, type SecretStore } from './store.js';
export { secretIdentity, describeSecret, type SecretIdentity, type SecretKind } from './identity.js';
export { parseMasterKey, type MasterKeyInput } from './masterKey.js';
export * from './challenges.js';
export * from './errors.js';
export * as schema from './schema.js';
