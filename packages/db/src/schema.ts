import type { DataSchema } from '@confidant/protected-data';
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  type PgColumn,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/**
 * Addresses and hashes are stored as lowercase 0x-hex text: one spelling per value, so equality and
 * indexes work whatever checksum casing a caller used. They compare byte by byte (collation "C"):
 * the same order for hex digits, and several times faster in every index than a language's
 * collation (a lookup by address: about 9 µs instead of 42 µs under the benchmark's load).
 */
const hex = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

/** Token amounts (nRLC) and volumes: uint256 on chain, numeric here, bigint in TypeScript. */
const uint = customType<{ data: bigint; driverData: string }>({
  dataType: () => 'numeric(78, 0)',
  toDriver: (value) => value.toString(),
  fromDriver: (value) => BigInt(value),
});

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

// Descending indexes say NULLS FIRST, as a plain `ORDER BY x DESC` does: with any other null
// order PostgreSQL cannot read the index in the query's order, and sorts the whole table instead.
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const orderKind = pgEnum('order_kind', ['app', 'dataset', 'workerpool', 'request']);
export const orderStatus = pgEnum('order_status', ['open', 'filled', 'cancelled']);
export const taskStatus = pgEnum('task_status', ['ACTIVE', 'REVEALING', 'COMPLETED', 'FAILED']);

/** Everyone the marketplace has met: asset owners, requesters, signed-in users. */
export const accounts = pgTable('accounts', {
  address: hex('address').primaryKey(),
  displayName: text('display_name'),
  createdAt: createdAt(),
  lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
});

/** iApps: the registry's facts (indexed from the chain) and the publisher's listing. */
export const apps = pgTable(
  'apps',
  {
    address: hex('address').primaryKey(),
    owner: hex('owner').notNull(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    multiaddr: text('multiaddr').notNull(),
    checksum: hex('checksum').notNull(),
    mrenclave: text('mrenclave').notNull(),
    /** TEE framework read from the fingerprint (tdx, scone, gramine) or null. */
    teeFramework: text('tee_framework'),
    createdBlock: bigint('created_block', { mode: 'bigint' }).notNull(),
    createdTx: hex('created_tx').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    listed: boolean('listed').notNull().default(false),
    title: text('title'),
    description: text('description'),
    category: text('category'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** The protected data schema the app reads (a subset a dataset's schema must contain). */
    requiredSchema: jsonb('required_schema').$type<DataSchema>(),
    argsDescription: text('args_description'),
    secretsDescription: text('secrets_description'),
    inputFilesDescription: text('input_files_description'),
    /** Listing price per run, nRLC. */
    price: uint('price'),
    sourceUrl: text('source_url'),
    version: integer('version').notNull().default(0),
    listedAt: timestamp('listed_at', { withTimezone: true }),
    /** Tasks run with this app (kept by the indexer). */
    usageCount: integer('usage_count').notNull().default(0),
    /** Full-text search document, maintained by a trigger (drizzle/0001_apps_search.sql). */
    search: tsvector('search'),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('apps_owner_idx').on(t.owner),
    index('apps_newest_idx').on(t.createdBlock.desc().nullsFirst(), t.address.desc().nullsFirst()),
    index('apps_usage_idx').on(t.usageCount.desc().nullsFirst(), t.address.desc().nullsFirst()),
    index('apps_price_idx').on(t.price, t.address),
    index('apps_category_idx').on(t.category),
    index('apps_search_idx').using('gin', t.search),
    index('apps_required_schema_idx').using('gin', t.requiredSchema),
  ],
);

/** Every published version of a listing. */
export const appVersions = pgTable(
  'app_versions',
  {
    app: hex('app')
      .notNull()
      .references(() => apps.address),
    version: integer('version').notNull(),
    listing: jsonb('listing').$type<Record<string, unknown>>().notNull(),
    editor: hex('editor').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.app, t.version] })],
);

/** Protected data: the registry's facts and the schema its owner registered. */
export const protectedData = pgTable(
  'protected_data',
  {
    address: hex('address').primaryKey(),
    owner: hex('owner').notNull(),
    name: text('name').notNull(),
    multiaddr: text('multiaddr').notNull(),
    checksum: hex('checksum').notNull(),
    schema: jsonb('schema').$type<DataSchema>(),
    /**
     * The schema's fields as the subgraph's SchemaEntry ids (`path:type`, nested keys joined with
     * dots), computed by PostgreSQL (drizzle/0004_protected_data_schema_entries.sql): what
     * `schema_contains` filters on.
     */
    schemaEntries: text('schema_entries').array().generatedAlwaysAs(sql`protected_data_schema_entries(schema)`),
    createdBlock: bigint('created_block', { mode: 'bigint' }).notNull(),
    createdTx: hex('created_tx').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('protected_data_owner_idx').on(t.owner, t.createdAt.desc().nullsFirst()),
    index('protected_data_schema_idx').using('gin', t.schema),
    index('protected_data_schema_entries_idx').using('gin', t.schemaEntries),
    // The subgraph's newest-first list (`orderBy: creationTimestamp, orderDirection: desc`) of
    // protected data (a known schema): read in order, it stops after one page.
    index('protected_data_newest_idx')
      .on(t.createdAt.desc().nullsFirst(), t.createdBlock.desc().nullsFirst(), t.address.desc().nullsFirst())
      .where(sql`${t.schema} is not null`),
  ],
);

/**
 * One row per schema entry of each protected data, in creation order, kept by a trigger on
 * `protected_data` (drizzle/0008_schema_entry_rows.sql): the subgraph's newest-first list filtered
 * by a selective `schema_contains` walks one entry's rows in order and stops after the page, where
 * the GIN index would find every match and sort them.
 */
export const protectedDataSchemaEntries = pgTable(
  'protected_data_schema_entries',
  {
    entry: text('entry').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBlock: bigint('created_block', { mode: 'bigint' }).notNull(),
    address: hex('address')
      .notNull()
      .references(() => protectedData.address, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.entry, t.createdAt, t.createdBlock, t.address] }),
    index('protected_data_schema_entries_address_idx').on(t.address),
  ],
);

export const workerpools = pgTable('workerpools', {
  address: hex('address').primaryKey(),
  owner: hex('owner').notNull(),
  description: text('description').notNull(),
  createdBlock: bigint('created_block', { mode: 'bigint' }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: updatedAt(),
});

/**
 * An order still in the book: open, published and not used up (expiry, which depends on the time,
 * is checked by the queries). The market API's lists say exactly this (query.ts `liveOrder`), so
 * that PostgreSQL uses the partial indexes below.
 */
const liveOrder = (t: { status: PgColumn; unpublishedAt: PgColumn; consumed: PgColumn; volume: PgColumn }) =>
  sql`${t.status} = 'open' and ${t.unpublishedAt} is null and ${t.consumed} < ${t.volume}`;

/** The orderbook: signed orders of all four kinds with their live state. */
export const orders = pgTable(
  'orders',
  {
    hash: hex('hash').primaryKey(),
    kind: orderKind('kind').notNull(),
    /** The app, dataset or workerpool of the order; the requester for a request order. */
    subject: hex('subject').notNull(),
    app: hex('app'),
    dataset: hex('dataset'),
    workerpool: hex('workerpool'),
    requester: hex('requester'),
    signer: hex('signer').notNull(),
    price: uint('price').notNull(),
    volume: uint('volume').notNull(),
    consumed: uint('consumed').notNull().default(sql`0`),
    tag: hex('tag').notNull(),
    category: integer('category'),
    /** The signed order as published (JSON, numbers as decimal strings). */
    payload: jsonb('payload').$type<Record<string, string>>().notNull(),
    status: orderStatus('status').notNull().default('open'),
    /** Grant expiry (dataset orders): hidden after it, and the SMS refuses deals made after it. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    /** Withdrawn from the orderbook by its signer (market API `PUT`): hidden from every list until published again. */
    unpublishedAt: timestamp('unpublished_at', { withTimezone: true }),
    /** Copied from an upstream market API by the API's mirror (public networks): withdrawn when it leaves there. */
    mirrored: boolean('mirrored').notNull().default(false),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('orders_kind_subject_idx').on(t.kind, t.subject, t.publishedAt.desc().nullsFirst()),
    index('orders_app_idx').on(t.app, t.kind),
    index('orders_dataset_idx').on(t.dataset, t.kind),
    index('orders_requester_idx').on(t.requester, t.kind),
    index('orders_open_price_idx').on(t.kind, t.status, t.price),
    index('orders_open_newest_idx').on(t.kind, t.status, t.publishedAt.desc().nullsFirst()),
    // The market API's lists (packages/api/src/market/query.ts), only over the orders still in the
    // book, in the lists' order (cheapest first), by resource, by app restriction and by category
    // (by resource: category first, which only workerpool and request orders have and iexec always
    // sends for workerpool orders). The columns after the order are the lists' filters: the count
    // of all matches is then read from the index alone, without visiting the table.
    index('orders_live_subject_idx')
      .on(t.kind, t.subject, t.category, t.price, t.publishedAt, t.hash, t.tag, t.app, t.dataset, t.workerpool, t.requester, t.expiresAt)
      .where(liveOrder(t)),
    index('orders_live_app_idx')
      .on(t.kind, t.app, t.price, t.publishedAt, t.hash, t.tag, t.dataset, t.workerpool, t.requester, t.expiresAt)
      .where(liveOrder(t)),
    index('orders_live_category_idx')
      .on(t.kind, t.category, t.price, t.publishedAt, t.hash, t.tag, t.app, t.dataset, t.workerpool, t.requester, t.expiresAt)
      .where(liveOrder(t)),
  ],
);

/**
 * How many live workerpool orders are open to everyone (no app, dataset or requester restriction,
 * no expiry), by workerpool, category and tag, kept by a trigger on `orders`
 * (drizzle/0011_workerpool_order_counts_trigger.sql). A workerpool orderbook counts every order it
 * matches; most are open to everyone, and counting them here instead of one by one is what keeps
 * the count cheap (category -1: an order without one).
 */
export const workerpoolOrderCounts = pgTable(
  'workerpool_order_counts',
  {
    workerpool: hex('workerpool').notNull(),
    category: integer('category').notNull(),
    tag: hex('tag').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workerpool, t.category, t.tag] })],
);

export const deals = pgTable(
  'deals',
  {
    dealId: hex('deal_id').primaryKey(),
    app: hex('app').notNull(),
    dataset: hex('dataset'),
    workerpool: hex('workerpool').notNull(),
    requester: hex('requester').notNull(),
    beneficiary: hex('beneficiary').notNull(),
    appPrice: uint('app_price').notNull(),
    datasetPrice: uint('dataset_price').notNull(),
    workerpoolPrice: uint('workerpool_price').notNull(),
    botFirst: uint('bot_first').notNull(),
    volume: uint('volume').notNull(),
    category: integer('category').notNull(),
    tag: hex('tag').notNull(),
    params: text('params').notNull(),
    appOrderHash: hex('app_order_hash').notNull(),
    datasetOrderHash: hex('dataset_order_hash').notNull(),
    workerpoolOrderHash: hex('workerpool_order_hash').notNull(),
    requestOrderHash: hex('request_order_hash').notNull(),
    blockNumber: bigint('block_number', { mode: 'bigint' }).notNull(),
    txHash: hex('tx_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('deals_app_idx').on(t.app),
    index('deals_dataset_idx').on(t.dataset),
    index('deals_requester_idx').on(t.requester),
    // The market API's /deals and the PoCo subgraph find deals by the orders they matched.
    index('deals_app_order_idx').on(t.appOrderHash),
    index('deals_dataset_order_idx').on(t.datasetOrderHash),
    index('deals_workerpool_order_idx').on(t.workerpoolOrderHash),
    index('deals_request_order_idx').on(t.requestOrderHash),
  ],
);

export const tasks = pgTable(
  'tasks',
  {
    taskId: hex('task_id').primaryKey(),
    dealId: hex('deal_id')
      .notNull()
      .references(() => deals.dealId),
    index: uint('index').notNull(),
    status: taskStatus('status').notNull(),
    resultDigest: hex('result_digest'),
    /** Where the result is (the `results` bytes of the chain, decoded). */
    resultLocation: text('result_location'),
    initializedAt: timestamp('initialized_at', { withTimezone: true }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    updatedBlock: bigint('updated_block', { mode: 'bigint' }).notNull(),
  },
  (t) => [index('tasks_deal_idx').on(t.dealId)],
);

/** Money moved by the escrow for a task: rewards paid, stakes seized. */
export const rewards = pgTable(
  'rewards',
  {
    blockNumber: bigint('block_number', { mode: 'bigint' }).notNull(),
    logIndex: integer('log_index').notNull(),
    account: hex('account').notNull(),
    kind: text('kind', { enum: ['reward', 'seize'] }).notNull(),
    amount: uint('amount').notNull(),
    taskId: hex('task_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.blockNumber, t.logIndex] }),
    index('rewards_account_idx').on(t.account),
    index('rewards_task_idx').on(t.taskId),
  ],
);

/** Who granted, revoked, listed or ran what, when, with which transaction. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: hex('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject').notNull(),
    details: jsonb('details').notNull().default({}),
    txHash: hex('tx_hash'),
  },
  (t) => [
    index('audit_subject_idx').on(t.subject, t.at.desc().nullsFirst()),
    index('audit_actor_idx').on(t.actor, t.at.desc().nullsFirst()),
  ],
);

/** Where the chain indexer stopped; written in the same transaction as the rows it produced. */
export const indexerCursor = pgTable('indexer_cursor', {
  id: text('id').primaryKey(),
  chainId: integer('chain_id').notNull(),
  lastBlock: bigint('last_block', { mode: 'bigint' }).notNull(),
  lastBlockHash: hex('last_block_hash'),
  updatedAt: updatedAt(),
});

/** Sign-in with Ethereum: single-use nonces. */
export const siweNonces = pgTable('siwe_nonces', {
  nonce: text('nonce').primaryKey(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: createdAt(),
});

/**
 * iExec market API sign-in: single-use EIP-712 challenges, found by their typed-data digest and the
 * address they were issued to.
 */
export const marketChallenges = pgTable(
  'market_challenges',
  {
    digest: hex('digest').primaryKey(),
    address: hex('address').notNull(),
    chainId: integer('chain_id').notNull(),
    challenge: text('challenge').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('market_challenges_expires_idx').on(t.expiresAt)],
);

/** Signed-in sessions; only the sha256 of the session token is stored. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: hex('token_hash').primaryKey(),
    address: hex('address').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_address_idx').on(t.address)],
);
