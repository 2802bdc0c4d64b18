import { isAddressText } from '@confidant/contracts/schemas';
import { type ApiClient, type ApiOutputs, createApiClient } from '@confidant/sdk';
import { webEnv } from './env';

let client: ApiClient | undefined;
export const api = (): ApiClient => (client ??= createApiClient(webEnv().apiUrl));

/** A catalogue card, as `apps.list` answers it. */
export type AppCard = ApiOutputs['apps']['list']['items'][number];
/** One app with its listing, as `apps.get` answers it. */
export type AppDetail = ApiOutputs['apps']['get'];

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
    data: data && isAddressText(data) ? data : undefined,
    limit,
    cursor: cursor !== undefined && cursor <= 100_000 ? cursor : undefined,
  };
}
