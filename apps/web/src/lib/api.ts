import { type ApiClient, createApiClient } from '@confidant/sdk';
import { z } from 'zod';
import { webEnv } from './env';

let client: ApiClient | undefined;
export const api = (): ApiClient => (client ??= createApiClient(webEnv().apiUrl));

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const uint = z.union([z.bigint(), z.string().regex(/^\d+$/).transform(BigInt)]);

export const appCardSchema = z.object({
  address,
  owner: address,
  name: z.string(),
  title: z.string().nullable(),
  category: z.string().nullable(),
  tags: z.array(z.string()),
  price: uint.nullable(),
  teeFramework: z.string().nullable(),
  usageCount: z.number(),
  listed: z.boolean(),
  createdAt: z.date(),
  summary: z.string(),
});
export type AppCard = z.infer<typeof appCardSchema>;

export const cataloguePageSchema = z.object({ items: z.array(appCardSchema), nextCursor: z.number().nullable() });

export const appDetailSchema = appCardSchema.omit({ summary: true }).extend({
  type: z.string(),
  multiaddr: z.string(),
  checksum: z.string(),
  mrenclave: z.string(),
  createdBlock: uint,
  createdTx: z.string(),
  description: z.string().nullable(),
  requiredSchema: z.record(z.string(), z.unknown()).nullable(),
  argsDescription: z.string().nullable(),
  secretsDescription: z.string().nullable(),
  inputFilesDescription: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  version: z.number(),
  listedAt: z.date().nullable(),
});
export type AppDetail = z.infer<typeof appDetailSchema>;

export const appVersionSchema = z.object({ version: z.number(), editor: z.string(), createdAt: z.date(), listing: z.record(z.string(), z.unknown()) });
export const appStatsSchema = z.object({ tasks: z.number(), completed: z.number(), failed: z.number(), active: z.number(), requesters: z.number(), earnings: uint });

export const SORTS = ['newest', 'mostUsed', 'priceAsc', 'priceDesc', 'relevance'] as const;
export const FRAMEWORKS = ['tdx', 'scone', 'gramine'] as const;

/** The catalogue's query from the page's search parameters: anything unknown or malformed is dropped, never an error. */
export function catalogueQuery(params: Record<string, string | string[] | undefined>) {
  const one = (key: string) => {
    const value = params[key];
    return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
  };
  const q = one('q')?.slice(0, 200);
  const category = one('category')?.slice(0, 40);
  const tee = one('tee');
  const sort = one('sort');
  const maxPrice = one('maxPrice');
  const data = one('data');
  const page = Number(one('page') ?? '1');
  const limit = 24;
  const cursor = Number.isInteger(page) && page > 1 && page <= 1000 ? (page - 1) * limit : undefined;
  return {
    q,
    category,
    teeFramework: FRAMEWORKS.find((f) => f === tee),
    sort: SORTS.find((s) => s === sort) ?? (q ? 'relevance' : 'newest'),
    maxPrice: maxPrice && /^\d{1,30}$/.test(maxPrice) ? maxPrice : undefined,
    /** "Works with my data": a protected data address whose schema the apps' required schema must fit. */
    data: data && /^0x[0-9a-fA-F]{40}$/.test(data) ? data : undefined,
    limit,
    cursor: cursor !== undefined && cursor <= 100_000 ? cursor : undefined,
  };
}

export const protectedDataSchema = z.object({ address, owner: address, name: z.string(), schema: z.record(z.string(), z.unknown()).nullable() });
