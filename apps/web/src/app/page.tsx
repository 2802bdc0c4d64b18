import Link from 'next/link';
import type { DataSchema } from '@confidant/protected-data';
import { NotIndexedError } from '@confidant/sdk';
import { type AppCard, api, catalogueQuery, FRAMEWORKS, SORTS } from '@/lib/api';
import { ApiDown } from '@/lib/ApiDown';
import { formatPrice, shortAddress, TEE_NAMES } from '@/lib/format';

// Every request renders fresh (the catalogue changes as publishers list; the CSP nonce is per request).
export const dynamic = 'force-dynamic';

const SORT_LABELS: Record<(typeof SORTS)[number], string> = {
  newest: 'Newest',
  mostUsed: 'Most used',
  priceAsc: 'Price: low to high',
  priceDesc: 'Price: high to low',
  relevance: 'Relevance',
};

type Params = Record<string, string | string[] | undefined>;
type SearchParams = Promise<Params>;
type Query = ReturnType<typeof catalogueQuery>;
type CataloguePage = { items: AppCard[]; nextCursor: number | null };
type Loaded = { page: CataloguePage | undefined; failure: string | undefined; dataName: string | undefined };

/** The page of iApps the query asks for, the name of the data it filters by, or why it could not be loaded. */
async function loadCatalogue(query: Query): Promise<Loaded> {
  let dataName: string | undefined;
  try {
    const { data, ...filters } = query;
    let schema: DataSchema | undefined;
    if (data) {
      // "Works with my data": the apps whose required schema this protected data's schema contains.
      const found = await api().protectedData.get.query({ address: data });
      dataName = found.name || data;
      schema = found.schema ?? {};
    }
    const page = await api().apps.list.query({ ...filters, ...(schema ? { schema } : {}) });
    return { page, failure: undefined, dataName };
  } catch (error) {
    const notFound = error instanceof NotIndexedError;
    const failure = notFound
      ? `no protected data ${query.data} is known on this network`
      : error instanceof Error
        ? error.message.split('\n')[0]
        : String(error);
    return { page: undefined, failure, dataName };
  }
}

/** The same search on another page. */
function pageHref(params: Params, pageNumber: number): string {
  const next = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (typeof value === 'string' && key !== 'page') next.set(key, value);
  next.set('page', String(pageNumber));
  return `/?${next.toString()}`;
}

const isFiltered = (query: Query) => Boolean(query.q || query.category || query.teeFramework || query.maxPrice || query.data);

export default async function CataloguePage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const query = catalogueQuery(params);
  const { page, failure, dataName } = await loadCatalogue(query);
  const current = Math.floor((query.cursor ?? 0) / query.limit) + 1;

  return (
    <>
      <h1>iApps</h1>
      {dataName ? (
        <p className="notice" role="status">
          Showing the iApps that work with <strong>{dataName}</strong> (their required data is in it). <Link href="/">Show every iApp</Link>
        </p>
      ) : null}
      <Filters query={query} />

      <Results query={query} page={page} failure={failure} />
      {page && (current > 1 || page.nextCursor !== null) ? (
        <Pager params={params} current={current} hasNext={page.nextCursor !== null} />
      ) : null}
    </>
  );
}

/** The search and filter form (a GET to this page). */
function Filters({ query }: { query: Query }) {
  return (
    <form className="filters" method="get" action="/" role="search">
      {query.data ? <input type="hidden" name="data" value={query.data} /> : null}
      <label>
        Search
        <input type="search" name="q" defaultValue={query.q ?? ''} placeholder="e.g. email, sentiment, greeting" />
      </label>
      <label>
        Category
        <input name="category" defaultValue={query.category ?? ''} placeholder="any" />
      </label>
      <label>
        TEE
        <select name="tee" defaultValue={query.teeFramework ?? ''}>
          <option value="">any</option>
          {FRAMEWORKS.map((f) => (
            <option key={f} value={f}>
              {TEE_NAMES[f]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Max price (nRLC)
        <input name="maxPrice" inputMode="numeric" pattern="[0-9]*" defaultValue={query.maxPrice ?? ''} placeholder="any" />
      </label>
      <label>
        Sort
        <select name="sort" defaultValue={query.sort}>
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {SORT_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Apply</button>
    </form>
  );
}

/** The iApps found, or why there are none. */
function Results({ query, page, failure }: { query: Query; page: CataloguePage | undefined; failure: string | undefined }) {
  if (failure !== undefined) {
    return query.data ? (
      <div className="notice error" role="alert">
        <p>The catalogue could not be loaded: {failure}</p>
        <p>
          <Link href="/">Show every iApp</Link>
        </p>
      </div>
    ) : (
      <ApiDown what="The catalogue" error={new Error(failure)} />
    );
  }
  if (page && page.items.length === 0) {
    const filtered = isFiltered(query);
    return (
      <div className="notice" role="status">
        <p>{filtered ? 'No iApp matches these filters.' : 'No iApp is listed yet.'}</p>
        <p>
          {filtered ? <Link href="/">Clear the filters</Link> : 'Publishers list theirs with `confidant deploy` then `confidant publish`.'}
        </p>
      </div>
    );
  }
  return (
    <ul className="cards" aria-label="iApps">
      {page?.items.map((app) => (
        <Card key={app.address} app={app} />
      ))}
    </ul>
  );
}

/** One iApp of the catalogue. */
function Card({ app }: { app: AppCard }) {
  return (
    <li className="card">
      <h2>
        <Link href={`/apps/${app.address}`}>{app.title ?? app.name}</Link>
      </h2>
      <p className="summary">{app.summary.split('\n')[0]}</p>
      <dl>
        <dt>Price</dt>
        <dd>{formatPrice(app.price)}</dd>
        <dt>Publisher</dt>
        <dd title={app.owner}>{shortAddress(app.owner)}</dd>
        <dt>Runs</dt>
        <dd>{app.usageCount.toLocaleString('en-US')}</dd>
        {app.category ? (
          <>
            <dt>Category</dt>
            <dd>{app.category}</dd>
          </>
        ) : null}
      </dl>
      {app.tags.length > 0 ? (
        <ul className="tags" aria-label="Tags">
          {app.tags.map((tag) => (
            <li key={tag}>{tag}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** Links to the previous and next pages of the catalogue. */
function Pager({ params, current, hasNext }: { params: Params; current: number; hasNext: boolean }) {
  return (
    <nav className="pages" aria-label="Pages">
      {current > 1 ? <Link href={pageHref(params, current - 1)}>← Previous</Link> : null}
      <span>Page {current}</span>
      {hasNext ? <Link href={pageHref(params, current + 1)}>Next →</Link> : null}
    </nav>
  );
}
