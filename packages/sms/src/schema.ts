import { sql } from 'drizzle-orm';
import { check, customType, index, integer, pgEnum, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Raw bytes; both drivers hand back a Uint8Array subclass, normalised to a plain Uint8Array. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value),
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * What a secret belongs to: a dataset's key (web3), an account's named secret (web2), a requester's
 * secret for its tasks, or an app developer's secret.
 */
export const secretKind = pgEnum('sms_secret_kind', ['web3', 'web2', 'requester', 'app']);

/**
 * Every pushed secret, encrypted with AES-256-GCM under the master key. The identity (kind, address,
 * name) is the additional authenticated data, so a row's ciphertext only opens under its own identity.
 */
export const secrets = pgTable(
  'sms_secrets',
  {
    kind: secretKind('kind').notNull(),
    /** Lowercase 0x-address: the dataset, the web2 owner, the requester or the app. */
    address: text('address').notNull(),
    /** `''` for a dataset key, the secret's name or key otherwise (`'1'` for an app's secret). */
    name: text('name').notNull(),
    /** AES-256-GCM ciphertext followed by its 16-byte tag. */
    ciphertext: bytea('ciphertext').notNull(),
    nonce: bytea('nonce').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'sms_secrets_identity_pk', columns: [t.kind, t.address, t.name] }),
    check('sms_secrets_nonce_length', sql`octet_length(${t.nonce}) = 12`),
  ],
);

/**
 * One row proving which master key encrypted the secrets: a start with another key is refused
 * instead of accepting new secrets that the old ones could never be read alongside.
 */
export const masterKeyCheck = pgTable('sms_master_key_check', {
  id: integer('id').primaryKey(),
  ciphertext: bytea('ciphertext').notNull(),
  nonce: bytea('nonce').notNull(),
  createdAt: createdAt(),
});

/**
 * Nonces handed to enclaves for their quotes (`POST /tee/challenges/{taskId}`): each is bound to one
 * task, expires, and is consumed by the one session it opens (`used_at` set atomically).
 */
export const teeChallenges = pgTable(
  'sms_tee_challenges',
  {
    /** Lowercase 0x + 32 random bytes. */
    nonce: text('nonce').primaryKey(),
    /** Lowercase 0x bytes32 task id the nonce was issued for. */
    taskId: text('task_id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** When a session consumed it; null while unused. */
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('sms_tee_challenges_expires_at_idx').on(t.expiresAt)],
);
