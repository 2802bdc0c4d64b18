import { and, eq, sql } from 'drizzle-orm';
import type { SmsDatabase } from './db.js';
import { MasterKeyMismatchError, SecretExistsError, SecretNotFoundError, SecretUnreadableError } from './errors.js';
import { describeSecret, type SecretIdentity } from './identity.js';
import { open, seal } from './sealing.js';
import { masterKeyCheck, secrets } from './schema.js';

/** The secrets, encrypted at rest: values go in and come out as text, rows hold only ciphertext. */
export type SecretStore = {
  exists(identity: SecretIdentity): Promise<boolean>;
  /** Stores a new secret; SecretExistsError when its identity is taken. */
  create(identity: SecretIdentity, value: string): Promise<void>;
  /** Replaces a secret's value; SecretNotFoundError when there is none. */
  update(identity: SecretIdentity, value: string): Promise<void>;
  /** The decrypted value, or undefined when there is no such secret. */
  read(identity: SecretIdentity): Promise<string | undefined>;
};

const KEY_CHECK_CONTEXT = 'confidant-sms/v1/master-key-check';
const KEY_CHECK_VALUE = 'confidant-sms master key';

/**
 * Opens the secret store over a migrated SMS database, after checking that the master key is the one
 * its secrets were encrypted with (the first start records it).
 *
 * @example
 * const store = await openSecretStore({ db, masterKey });
 * await store.create(secretIdentity('web3', dataset), keyBase64);
 */
export async function openSecretStore({ db, masterKey }: { db: SmsDatabase; masterKey: Uint8Array }): Promise<SecretStore> {
  await checkMasterKey(db, masterKey);
  const where = (identity: SecretIdentity) =>
    and(eq(secrets.kind, identity.kind), eq(secrets.address, identity.address), eq(secrets.name, identity.name));
  return {
    async exists(identity) {
      const rows = await db.select({ kind: secrets.kind }).from(secrets).where(where(identity)).limit(1);
      return rows.length > 0;
    },
    async create(identity, value) {
      const sealed = seal(masterKey, contextOf(identity), new TextEncoder().encode(value));
      const inserted = await db
        .insert(secrets)
        .values({ ...identity, ...sealed })
        .onConflictDoNothing()
        .returning({ kind: secrets.kind });
      if (inserted.length === 0) throw new SecretExistsError(describeSecret(identity), identity.kind === 'web2');
    },
    async update(identity, value) {
      const sealed = seal(masterKey, contextOf(identity), new TextEncoder().encode(value));
      const updated = await db
        .update(secrets)
        .set({ ...sealed, updatedAt: sql`now()` })
        .where(where(identity))
        .returning({ kind: secrets.kind });
      if (updated.length === 0) throw new SecretNotFoundError(describeSecret(identity));
    },
    async read(identity) {
      const [row] = await db.select({ ciphertext: secrets.ciphertext, nonce: secrets.nonce }).from(secrets).where(where(identity));
      if (!row) return undefined;
      const plaintext = open(masterKey, contextOf(identity), row);
      if (!plaintext) throw new SecretUnreadableError(describeSecret(identity));
      return new TextDecoder().decode(plaintext);
    },
  };
}

/** The additional authenticated data of a secret: its whole identity, unambiguously encoded. */
function contextOf(identity: SecretIdentity): string {
  return JSON.stringify(['confidant-sms/v1', identity.kind, identity.address, identity.name]);
}

async function checkMasterKey(db: SmsDatabase, masterKey: Uint8Array): Promise<void> {
  const sealed = seal(masterKey, KEY_CHECK_CONTEXT, new TextEncoder().encode(KEY_CHECK_VALUE));
  await db
    .insert(masterKeyCheck)
    .values({ id: 1, ...sealed })
    .onConflictDoNothing();
  const [row] = await db.select().from(masterKeyCheck).where(eq(masterKeyCheck.id, 1));
  const plaintext = row && open(masterKey, KEY_CHECK_CONTEXT, row);
  if (!plaintext || new TextDecoder().decode(plaintext) !== KEY_CHECK_VALUE) throw new MasterKeyMismatchError();
}
