import type { DataSchema } from '@confidant/protected-data';
import { getAddress, type Hex, hexToBytes } from 'viem';
import { z } from 'zod';
import { SubgraphError } from '../errors.js';
import type { ProtectedData } from './shapes.js';

/**
 * `@iexec/dataprotector`'s getProtectedData query (2.0.0-beta.27), plus `checksum` and
 * `transactionHash`, which the DataProtector subgraph's `ProtectedData` has too and the SDK returns.
 */
const PROTECTED_DATAS_QUERY = `query ($start: Int!, $range: Int!, $where: ProtectedData_filter) { protectedDatas(where: $where, skip: $start, first: $range, orderBy: creationTimestamp, orderDirection: desc) { id name owner { id } schema { id } creationTimestamp multiaddr checksum transactionHash } }`;

const answerSchema = z.object({
  data: z.object({
    protectedDatas: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        owner: z.object({ id: z.string() }),
        schema: z.array(z.object({ id: z.string() })),
        creationTimestamp: z.union([z.string(), z.number()]),
        multiaddr: z.string(),
        checksum: z.string(),
        transactionHash: z.string(),
      }),
    ),
  }),
});

type Entity = z.output<typeof answerSchema>['data']['protectedDatas'][number];

export type ProtectedDataQuery = {
  id?: string | undefined;
  owner?: string | undefined;
  requiredSchema?: DataSchema | undefined;
  skip: number;
  first: number;
};

/** A schema's fields as the subgraph's `path:type` entries (nested keys joined with dots). */
function schemaEntries(schema: DataSchema, prefix = ''): string[] {
  return Object.entries(schema).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'string' ? [`${path}:${value}`] : schemaEntries(value, path);
  });
}

/** `path:type` entries back into the nested schema; null when there are none. */
function schemaOf(entries: { id: string }[]): DataSchema | null {
  if (entries.length === 0) return null;
  const schema: DataSchema = {};
  for (const { id } of entries) {
    const colon = id.indexOf(':');
    const keys = id.slice(0, colon).split('.');
    let node = schema;
    for (const key of keys.slice(0, -1)) {
      const next = node[key];
      node = typeof next === 'object' ? next : (node[key] = {});
    }
    node[keys[keys.length - 1] as string] = id.slice(colon + 1);
  }
  return schema;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The multiaddr as the chain's readers show it: UTF-8 text (a URL, `/p2p/…` text) when it is text, else the hex bytes. */
function multiaddrText(hex: string): string {
  try {
    const text = decoder.decode(hexToBytes(hex as Hex));
    return text === '' || /[\u0000-\u0008\u000e-\u001f]/.test(text) ? hex.toLowerCase() : text;
  } catch {
    return hex.toLowerCase();
  }
}

function toProtectedData(entity: Entity): ProtectedData {
  return {
    address: getAddress(entity.id),
    name: entity.name,
    owner: getAddress(entity.owner.id),
    schema: schemaOf(entity.schema),
    multiaddr: multiaddrText(entity.multiaddr),
    checksum: entity.checksum.toLowerCase() as Hex,
    createdAt: new Date(Number(entity.creationTimestamp) * 1000),
    transactionHash: entity.transactionHash.toLowerCase() as Hex,
  };
}

/**
 * Protected data from the DataProtector subgraph at `url` (iExec's `NetworkServices.dataProtectorSubgraph`,
 * or the local API's `/subgraphs/dataprotector`), newest first: a GraphQL POST of `{ query, variables }`.
 */
export async function queryProtectedData(url: string, fetchImpl: typeof fetch, query: ProtectedDataQuery): Promise<ProtectedData[]> {
  const and = [
    ...(query.id ? [{ id: query.id.toLowerCase() }] : []),
    ...(query.owner ? [{ owner: query.owner.toLowerCase() }] : []),
    ...(query.requiredSchema ? [{ schema_contains: schemaEntries(query.requiredSchema) }] : []),
  ];
  const variables = { start: query.skip, range: query.first, ...(and.length > 0 ? { where: { and } } : {}) };
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: PROTECTED_DATAS_QUERY, variables }),
    });
  } catch (error) {
    throw new SubgraphError(`the DataProtector subgraph at ${url} could not be reached`, { cause: error });
  }
  const body = (await response.json().catch(() => undefined)) as { errors?: { message?: unknown }[] } | undefined;
  const graphqlError = body?.errors?.find((error) => typeof error.message === 'string')?.message as string | undefined;
  if (graphqlError !== undefined)
    throw new SubgraphError(`the DataProtector subgraph refused the query: ${graphqlError}`, { httpStatus: response.status });
  const parsed = answerSchema.safeParse(body);
  if (!response.ok || !parsed.success)
    throw new SubgraphError(`the DataProtector subgraph answered HTTP ${response.status} without protected data`, {
      httpStatus: response.status,
      cause: parsed.error,
    });
  return parsed.data.data.protectedDatas.map(toProtectedData);
}
