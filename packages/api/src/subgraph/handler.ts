import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Database, protectedData } from '@confidant/db';
import type { DataSchema } from '@confidant/protected-data';
import { and, asc, desc, isNotNull, type SQL } from 'drizzle-orm';
import { stringToHex } from 'viem';
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

/** Protected data with a known schema (as the subgraph, which knows those its contract created). */
async function listProtectedData(db: Database, args: ListArgs) {
  checkPage(args);
  const direction = args.orderDirection === 'desc' ? desc : asc;
  const order = orderColumns[args.orderBy ?? 'id'].map((column) => direction(column));
  const conditions: (SQL | undefined)[] = [isNotNull(protectedData.schema), filterToSql(args.where)];
  const rows = await db
    .select()
    .from(protectedData)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(args.first)
    .offset(args.skip);
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
  return serveGraphQL(
    SUBGRAPH_PATH,
    graphqlSchema({
      typeDefs,
      resolvers: {
        Query: {
          protectedDatas: (_: unknown, args: ListArgs) => listProtectedData(db, args),
          protectedData: async (_: unknown, { id }: { id: string }) =>
            (await listProtectedData(db, { skip: 0, first: 1, where: { id } }))[0] ?? null,
        },
      },
    }),
  );
}
