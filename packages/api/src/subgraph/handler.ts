import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Database, protectedData, protectedDataSchemaEntries } from '@confidant/db';
import type { DataSchema } from '@confidant/protected-data';
import { and, asc, desc, eq, getTableColumns, isNotNull, type SQL, sql } from 'drizzle-orm';
import { stringToHex } from 'viem';
import { preparedWhileFew } from '../store/prepared.js';
import { filterToSql, type ProtectedDataFilter } from './filter.js';
import { typeDefs } from './typeDefs.js';
import { checkPage, graphqlSchema, serveGraphQL } from './server.js';

/** Where the API serves the DataProtector subgraph (`subgraphUrl` of `@iexec/dataprotector`). */
export const SUBGRAPH_PATH = '/subgraphs/dataprotector';

type Row = typeof protectedData.$inferSelect;
type ListArgs = {
  skip: number;
  first: number;
  orderBy?: 'id' | 'name' | 'creationTimestamp' | 'transactionHash' | null;
  orderDirection?: 'asc' | 'desc' | null;
  where?: ProtectedDataFilter | null;
};

/** A schema's fields as `path:type` entries, nested keys joined with dots. */
function schemaEntries(schema: DataSchema, prefix = ''): { id: string; path: string; type: string }[] {
  return Object.entries(schema).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'string' ? [{ id: `${path}:${value}`, path, type: value }] : schemaEntries(value, path);
  });
}

/** The multiaddr as the subgraph's bytes: stored as text when readable, else as hex already. */
const multiaddrBytes = (stored: string) => (/^0x([0-9a-f]{2})*$/i.test(stored) ? stored.toLowerCase() : stringToHex(stored));

/** One row as a subgraph `ProtectedData`. */
function present(row: Row) {
  return {
    id: row.address,
    name: row.name,
    owner: { id: row.owner },
    schema: schemaEntries(row.schema ?? {}),
    creationTimestamp: String(Math.floor(row.createdAt.getTime() / 1000)),
    multiaddr: multiaddrBytes(row.multiaddr),
    checksum: row.checksum,
    transactionHash: row.createdTx,
    blockNumber: row.createdBlock.toString(),
  };
}

const orderColumns = {
  id: [protectedData.address],
  name: [protectedData.name, protectedData.address],
  creationTimestamp: [protectedData.createdAt, protectedData.createdBlock, protectedData.address],
  transactionHash: [protectedData.createdTx, protectedData.address],
} as const;

/** The schema entries every match must have: `schema_contains` of the filter and of its `and` parts. */
function requiredEntries(filter: ProtectedDataFilter | null | undefined): string[] {
  if (!filter) return [];
  return [...(filter.schema_contains ?? []), ...(filter.and ?? []).flatMap((part) => requiredEntries(part))];
}

const STATISTICS_TTL_MS = 5 * 60_000;
const frequencies = new WeakMap<Database, { at: number; of: Promise<Record<string, number>> }>();

/**
 * How common each frequent schema entry is, from PostgreSQL's statistics on the entry rows (empty
 * before they are first analyzed); an entry missing from them is rarer than any listed.
 */
function entryFrequencies(db: Database): Promise<Record<string, number>> {
  const known = frequencies.get(db);
  if (known && Date.now() - known.at < STATISTICS_TTL_MS) return known.of;
  const of = db
    .execute(
      sql`select coalesce(json_object_agg(value, frequency), '{}'::json) as frequencies
          from pg_stats, unnest(most_common_vals::text::text[], most_common_freqs) as common(value, frequency)
          where tablename = 'protected_data_schema_entries' and attname = 'entry'`,
    )
    .then((result) => {
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { frequencies?: Record<string, number> }[];
      return rows[0]?.frequencies ?? {};
    });
  frequencies.set(db, { at: Date.now(), of });
  of.catch(() => frequencies.delete(db));
  return of;
}

/**
 * Above this share of the entry rows, an entry's matches are found sooner by reading the newest
 * protected data in order (their rows lie together) than by looking each up from the entry's rows.
 */
const SELECTIVE_ENTRY = 0.01;

/** The rarest of the entries every match must have, when rare enough to walk in creation order. */
async function drivingEntry(db: Database, entries: string[]): Promise<string | undefined> {
  if (entries.length === 0) return undefined;
  const frequency = await entryFrequencies(db);
  const rarest = entries.reduce((best, entry) => ((frequency[entry] ?? 0) < (frequency[best] ?? 0) ? entry : best));
  return (frequency[rarest] ?? 0) < SELECTIVE_ENTRY ? rarest : undefined;
}

/**
 * One page of the protected data having `entry` and matching `where`, in creation order: the
 * entry's rows are walked in that order and each protected data is checked as it comes (a lateral
 * subquery of at most one row, by address, kept apart by its `limit 1`: merged into a join,
 * PostgreSQL would find every match through the GIN index and sort them, misled by how rarely
 * independent entries would appear together).
 */
function walkEntry(db: Database, entry: string, where: SQL | undefined, direction: typeof asc, page: { first: number; skip: number }) {
  const e = protectedDataSchemaEntries;
  const match = db
    .select()
    .from(protectedData)
    .where(and(eq(protectedData.address, e.address), where))
    .limit(1)
    .as('match');
  const columns = Object.fromEntries(Object.keys(getTableColumns(protectedData)).map((key) => [key, match[key as keyof Row]])) as {
    [key in keyof Row]: (typeof match)[key];
  };
  return db
    .select(columns)
    .from(e)
    .crossJoinLateral(match)
    .where(eq(e.entry, entry))
    .orderBy(direction(e.createdAt), direction(e.createdBlock), direction(e.address))
    .limit(page.first)
    .offset(page.skip);
}

/**
 * Protected data with a known schema (as the subgraph, which knows those its contract created).
 * Newest (or oldest) first with a `schema_contains` filter, the rarest required entry's rows are
 * walked in creation order (`protected_data_schema_entries`) and the walk stops after the page.
 */
async function listProtectedData(db: Database, args: ListArgs, run: ReturnType<typeof preparedWhileFew>) {
  checkPage(args);
  const direction = args.orderDirection === 'desc' ? desc : asc;
  const where = and(isNotNull(protectedData.schema), filterToSql(args.where));
  const driver = args.orderBy === 'creationTimestamp' ? await drivingEntry(db, requiredEntries(args.where)) : undefined;
  // The statement's text follows the filter's structure and list lengths, never its values.
  const shape = `${args.orderBy}|${args.orderDirection}|${JSON.stringify(args.where ?? null, (_, value) => (typeof value === 'string' || typeof value === 'number' ? 0 : value))}`;
  const rows = driver
    ? await run(`walk|${shape}`, walkEntry(db, driver, where, direction, args))
    : await run(
        `list|${shape}`,
        db
          .select()
          .from(protectedData)
          .where(where)
          .orderBy(...orderColumns[args.orderBy ?? 'id'].map((column) => direction(column)))
          .limit(args.first)
          .offset(args.skip),
      );
  return rows.map(present);
}

/**
 * A DataProtector-subgraph-compatible GraphQL endpoint over the indexed protected data, answering
 * the `protectedDatas` queries `@iexec/dataprotector` sends (`getProtectedData`). Bad queries get
 * GraphQL errors (400 when the query itself is malformed), never a 500.
 *
 * @example
 * const subgraph = createSubgraphHandler(db);
 * if (url.pathname === SUBGRAPH_PATH) return subgraph(req, res);
 */
export function createSubgraphHandler(db: Database): (req: IncomingMessage, res: ServerResponse) => void {
  const run = preparedWhileFew();
  return serveGraphQL(
    SUBGRAPH_PATH,
    graphqlSchema({
      typeDefs,
      resolvers: {
        Query: {
          protectedDatas: (_: unknown, args: ListArgs) => listProtectedData(db, args, run),
          protectedData: async (_: unknown, { id }: { id: string }) =>
            (await listProtectedData(db, { skip: 0, first: 1, where: { id } }, run))[0] ?? null,
        },
      },
    }),
  );
}
