import { deals, tasks } from '@confidant/db';
import { and, inArray, not, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { zeroAddress } from 'viem';
import { refuse } from './server.js';

/**
 * The `where` arguments of the PoCo subgraph's `deals` and `tasks` (The Graph's filter conventions:
 * `field`, `field_not`, `field_in`, `field_not_in`, `field_gt`… and nested `and`/`or`), as SQL over
 * the API's index. The GraphQL input types are generated from the same table, so what the schema
 * accepts is exactly what is filtered.
 */

/** A filter object as GraphQL hands it over. */
export type Where = { [key: string]: unknown; and?: (Where | null)[] | null; or?: (Where | null)[] | null };

type Operator = '' | '_not' | '_in' | '_not_in' | '_gt' | '_gte' | '_lt' | '_lte';
const EQUALITY: Operator[] = ['', '_not', '_in', '_not_in'];
const ORDERED: Operator[] = [...EQUALITY, '_gt', '_gte', '_lt', '_lte'];
/** Longest first, so that `_not_in` is not read as `_in`. */
const SUFFIXES: Operator[] = ['_not_in', '_gte', '_lte', '_not', '_in', '_gt', '_lt'];
const COMPARE: Record<Exclude<Operator, '_in' | '_not_in'>, string> = {
  '': '=',
  _not: 'is distinct from',
  _gt: '>',
  _gte: '>=',
  _lt: '<',
  _lte: '<=',
};

const MAX_DEPTH = 8;
const MAX_LIST = 1_000;

/**
 * One filterable field: its GraphQL type, operators, the SQL it compares, and how a value is read
 * (null: the field's "none" value, e.g. the zero address of a deal without dataset, stored as NULL).
 */
type Field = { graphql: string; operators: Operator[]; column: SQLWrapper; parse: (value: unknown, key: string) => unknown };

const hexText = (value: unknown) => String(value).toLowerCase();
const orNone = (value: unknown) => (hexText(value) === zeroAddress ? null : hexText(value));
function whole(value: unknown, key: string): string {
  const text = String(value);
  if (!/^\d{1,78}$/.test(text)) throw refuse(`${key}: expected a whole number, got ${JSON.stringify(value)}`);
  return text;
}
const wholeSeconds = (value: unknown, key: string) => {
  if (!/^\d{1,15}$/.test(String(value))) throw refuse(`${key}: expected a whole number of seconds, got ${JSON.stringify(value)}`);
  return Number(value);
};
/** A category's id (its number, as a string in the subgraph). */
const categoryId = (value: unknown, key: string) => {
  if (!/^\d{1,9}$/.test(String(value))) throw refuse(`${key}: expected a category number, got ${JSON.stringify(value)}`);
  return Number(value);
};
/** PoCo-subgraph spelling (FAILLED) to the index's; UNSET matches no indexed task. */
const taskStatus = (value: unknown) => (value === 'FAILLED' ? 'FAILED' : String(value));

const id = (column: SQLWrapper): Field => ({ graphql: 'ID', operators: EQUALITY, column, parse: hexText });
const reference = (column: SQLWrapper, parse: Field['parse'] = hexText): Field => ({
  graphql: 'String',
  operators: EQUALITY,
  column,
  parse,
});
const bigInt = (column: SQLWrapper): Field => ({ graphql: 'BigInt', operators: ORDERED, column, parse: whole });

const dealFields: Record<string, Field> = {
  id: id(deals.dealId),
  app: reference(deals.app),
  dataset: reference(deals.dataset, orNone),
  workerpool: reference(deals.workerpool),
  requester: reference(deals.requester),
  beneficiary: reference(deals.beneficiary),
  apporder: reference(deals.appOrderHash),
  datasetorder: reference(deals.datasetOrderHash),
  workerpoolorder: reference(deals.workerpoolOrderHash),
  requestorder: reference(deals.requestOrderHash),
  category: reference(deals.category, categoryId),
  tag: { graphql: 'Bytes', operators: ['', '_not'], column: deals.tag, parse: hexText },
  botFirst: bigInt(deals.botFirst),
  botSize: bigInt(deals.volume),
  timestamp: { graphql: 'BigInt', operators: ORDERED, column: sql`floor(extract(epoch from ${deals.createdAt}))`, parse: wholeSeconds },
};

const taskFields: Record<string, Field> = {
  id: id(tasks.taskId),
  deal: reference(tasks.dealId),
  requester: reference(deals.requester),
  status: { graphql: 'TaskStatus', operators: EQUALITY, column: sql`${tasks.status}::text`, parse: taskStatus },
  index: bigInt(tasks.index),
};

/** `field_op` as the field and its operator. */
function split(fields: Record<string, Field>, key: string): [Field, Operator] {
  const suffix = SUFFIXES.find((s) => key.endsWith(s) && fields[key.slice(0, -s.length)]);
  const field = fields[suffix ? key.slice(0, -suffix.length) : key];
  if (!field) throw refuse(`where: unknown field ${key}`);
  return [field, suffix ?? ''];
}

/** `column in (values)`, the "none" value included as IS NULL; never NULL itself. */
function membership(field: Field, values: unknown, key: string): SQL {
  if (!Array.isArray(values)) throw refuse(`${key}: expected a list`);
  if (values.length > MAX_LIST) throw refuse(`${key}: at most ${MAX_LIST} values`);
  const parsed = values.map((value) => field.parse(value, key));
  const present = parsed.filter((value) => value !== null);
  const parts = [
    present.length ? inArray(field.column, present) : undefined,
    parsed.includes(null) ? sql`${field.column} is null` : undefined,
  ];
  return sql`coalesce(${or(...parts) ?? sql`false`}, false)`;
}

function condition(fields: Record<string, Field>, key: string, value: unknown): SQL {
  const [field, operator] = split(fields, key);
  if (operator === '_in' || operator === '_not_in') {
    const member = membership(field, value, key);
    return operator === '_in' ? member : not(member);
  }
  const parsed = field.parse(value, key);
  if (parsed === null) return operator === '_not' ? sql`${field.column} is not null` : sql`${field.column} is null`;
  return sql`${field.column} ${sql.raw(COMPARE[operator])} ${parsed}`;
}

function toSql(fields: Record<string, Field>, where: Where | null | undefined, depth: number): SQL | undefined {
  if (!where) return undefined;
  if (depth > MAX_DEPTH) throw refuse(`where: at most ${MAX_DEPTH} nested and/or levels`);
  const conditions: SQL[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined || value === null) continue;
    if (key === 'and' || key === 'or') {
      const parts = (value as (Where | null)[]).map((part) => toSql(fields, part, depth + 1) ?? sql`true`);
      if (parts.length) conditions.push((key === 'and' ? and(...parts) : or(...parts)) ?? sql`true`);
    } else conditions.push(condition(fields, key, value));
  }
  return conditions.length ? and(...conditions) : undefined;
}

/** A `Deal_filter` as one SQL condition over `deals` (undefined: none). */
export const dealWhere = (where: Where | null | undefined) => toSql(dealFields, where, 0);

/** A `Task_filter` as one SQL condition over `tasks` joined with their `deals` (undefined: none). */
export const taskWhere = (where: Where | null | undefined) => toSql(taskFields, where, 0);

/** The GraphQL input type of a field table: every field with each of its operators, plus `and`/`or`. */
function inputType(name: string, fields: Record<string, Field>): string {
  const lines = Object.entries(fields).flatMap(([field, { graphql, operators }]) =>
    operators.map((operator) => `    ${field}${operator}: ${operator.endsWith('_in') ? `[${graphql}!]` : graphql}`),
  );
  return `  input ${name} {\n${lines.join('\n')}\n    and: [${name}]\n    or: [${name}]\n  }\n`;
}

/** `Deal_filter` and `Task_filter`, for the schema. */
export const filterTypeDefs = inputType('Deal_filter', dealFields) + inputType('Task_filter', taskFields);
