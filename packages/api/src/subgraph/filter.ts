import { protectedData } from '@confidant/db';
import { and, eq, inArray, not, or, type SQL, sql } from 'drizzle-orm';
import { refuse } from './server.js';

/** The `where` argument of `protectedDatas` (The Graph's filter conventions). */
export type ProtectedDataFilter = {
  id?: string | null;
  id_not?: string | null;
  id_in?: string[] | null;
  id_not_in?: string[] | null;
  owner?: string | null;
  owner_not?: string | null;
  owner_in?: string[] | null;
  name?: string | null;
  name_contains?: string | null;
  creationTimestamp?: unknown;
  creationTimestamp_gt?: unknown;
  creationTimestamp_gte?: unknown;
  creationTimestamp_lt?: unknown;
  creationTimestamp_lte?: unknown;
  schema_contains?: string[] | null;
  transactionHash?: string | null;
  transactionHash_not?: string | null;
  transactionHash_in?: string[] | null;
  and?: (ProtectedDataFilter | null)[] | null;
  or?: (ProtectedDataFilter | null)[] | null;
};

/** Most nested `and`/`or` levels and most values in one list filter. */
const MAX_DEPTH = 8;
const MAX_LIST = 1_000;

const lowerList = (values: string[], field: string): string[] => {
  if (values.length > MAX_LIST) throw refuse(`${field}: at most ${MAX_LIST} values`);
  return values.map((value) => String(value).toLowerCase());
};

/** A BigInt argument (number or decimal string) as a whole number of seconds. */
function seconds(value: unknown, field: string): number {
  const text = String(value);
  if (!/^\d{1,15}$/.test(text)) throw refuse(`${field}: expected a whole number of seconds, got ${JSON.stringify(value)}`);
  return Number(text);
}

/**
 * `"a.b:type"` entries (SchemaEntry ids), checked, as a text[] for `@>` containment in the
 * protected data's `schema_entries` (the same ids, computed from its schema by PostgreSQL). No
 * schema holds two types for one path, so such a filter matches nothing, as on the subgraph.
 */
function schemaEntriesArray(entries: string[]): SQL {
  if (entries.length > MAX_LIST) throw refuse(`schema_contains: at most ${MAX_LIST} values`);
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const keys = colon > 0 ? entry.slice(0, colon).split('.') : [];
    if (keys.length === 0 || keys.some((key) => key === '') || entry.slice(colon + 1) === '')
      throw refuse(`schema_contains: "${entry}" is not path:type`);
  }
  return sql`array[${sql.join(
    entries.map((entry) => sql`${entry}`),
    sql`, `,
  )}]::text[]`;
}

const epoch = sql<number>`floor(extract(epoch from ${protectedData.createdAt}))`;

/** The timestamp comparisons of a filter. */
function timestampConditions(filter: ProtectedDataFilter): SQL[] {
  const conditions: SQL[] = [];
  const compare = [
    ['creationTimestamp', '='],
    ['creationTimestamp_gt', '>'],
    ['creationTimestamp_gte', '>='],
    ['creationTimestamp_lt', '<'],
    ['creationTimestamp_lte', '<='],
  ] as const;
  for (const [field, operator] of compare) {
    const value = filter[field];
    if (value === undefined || value === null) continue;
    conditions.push(sql`${epoch} ${sql.raw(operator)} ${seconds(value, field)}`);
  }
  return conditions;
}

/** The plain (non-nested) conditions of a filter. */
function fieldConditions(filter: ProtectedDataFilter): SQL[] {
  const t = protectedData;
  const conditions: SQL[] = [];
  const push = (condition: SQL | undefined) => condition && conditions.push(condition);
  if (filter.id != null) push(eq(t.address, filter.id.toLowerCase()));
  if (filter.id_not != null) push(not(eq(t.address, filter.id_not.toLowerCase())));
  if (filter.id_in != null) push(filter.id_in.length ? inArray(t.address, lowerList(filter.id_in, 'id_in')) : sql`false`);
  if (filter.id_not_in?.length) push(not(inArray(t.address, lowerList(filter.id_not_in, 'id_not_in'))));
  if (filter.owner != null) push(eq(t.owner, filter.owner.toLowerCase()));
  if (filter.owner_not != null) push(not(eq(t.owner, filter.owner_not.toLowerCase())));
  if (filter.owner_in != null) push(filter.owner_in.length ? inArray(t.owner, lowerList(filter.owner_in, 'owner_in')) : sql`false`);
  if (filter.name != null) push(eq(t.name, filter.name));
  if (filter.name_contains != null) push(sql`strpos(${t.name}, ${filter.name_contains}) > 0`);
  if (filter.schema_contains?.length) push(sql`${t.schemaEntries} @> ${schemaEntriesArray(filter.schema_contains)}`);
  if (filter.transactionHash != null) push(eq(t.createdTx, filter.transactionHash.toLowerCase()));
  if (filter.transactionHash_not != null) push(not(eq(t.createdTx, filter.transactionHash_not.toLowerCase())));
  if (filter.transactionHash_in != null)
    push(filter.transactionHash_in.length ? inArray(t.createdTx, lowerList(filter.transactionHash_in, 'transactionHash_in')) : sql`false`);
  return [...conditions, ...timestampConditions(filter)];
}

/** A `where` filter as one SQL condition (undefined: no condition). */
export function filterToSql(filter: ProtectedDataFilter | null | undefined, depth = 0): SQL | undefined {
  if (!filter) return undefined;
  if (depth > MAX_DEPTH) throw refuse(`where: at most ${MAX_DEPTH} nested and/or levels`);
  const conditions = fieldConditions(filter);
  if (filter.and?.length) conditions.push(...filter.and.map((part) => filterToSql(part, depth + 1) ?? sql`true`));
  if (filter.or?.length) {
    const parts = filter.or.map((part) => filterToSql(part, depth + 1) ?? sql`true`);
    conditions.push(or(...parts) ?? sql`true`);
  }
  return conditions.length ? and(...conditions) : undefined;
}
