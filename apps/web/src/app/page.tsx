import Link from 'next/link';
import { type AppCard, api, catalogueQuery, cataloguePageSchema, FRAMEWORKS, protectedDataSchema, SORTS } from '@/lib/api';
import { ApiDown } from '@/lib/ApiDown';
import { formatPrice, shortAddress, TEE_NAMES } from '@/lib/format';

// Every request renders fresh (the catalogue changes as publishers list; the CSP nonce is per request).
export const dynamic = 'force-dynamic';

const SORT_LABELS: Record<(typeof SORTS)[number], string> = { newest: 'Newest', mostUsed: 'Most used', priceAsc: 'Price: low to high', priceDesc: 'Price: high to low', relevance: 'Relevance' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function CataloguePage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const query = catalogueQuery(params);
  let page: { items: AppCard[]; nextCursor: number | null } | undefined;
  let failure: string | undefined;
  let dataName: string | undefined;
  try {
    const { data, ...filters } = query;
    let schema: Record<string, unknown> | undefined;
    if (data) {
      // "Works with my data": the apps whose required schema this protected data's schema contains.
      const found = await api().query('protectedData.get', { address: data }, protectedDataSchema);
      dataName = found.name || data;
      schema = found.schema ?? {};
    }
    page = await api().query('apps.list', { ...filters, ...(schema ? { schema } : {}) }, cataloguePageSchema);
  } catch (error) {
    const notFound = error instanceof Error && 'kind' in error && (error as { kind: string }).kind === 'not-found';
    failure = notFound ? `no protected data ${query.data} is known on this network` : error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
  const current = Math.floor((query.cursor ?? 0) / query.limit) + 1;
  const link = (pageNumber: number) => {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (typeof value === 'string' && key !== 'page') next.set(key, value);
    next.set('page', String(pageNumber));
    return `/?${next.toString()}`;
  };

  return (
    <>
      <h1>iApps</h1>
      {dataName ? (
        <p className="notice" role="status">
          Showing the iApps that work with <strong>{dataName}</strong> (their required data is in it). <Link href="/">Show every iApp</Link>
        </p>
      ) : null}
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

      {failure !== undefined ? (
        query.data ? (
          <div className="notice error" role="alert">
            <p>The catalogue could not be loaded: {failure}</p>
            <p>
              <Link href="/">Show every iApp</Link>
            </p>
          </div>
        ) : (
          <ApiDown what="The catalogue" error={new Error(failure)} />
        )
      ) : page && page.items.length === 0 ? (
        <div className="notice" role="status">
          <p>{query.q || query.category || query.teeFramework || query.maxPrice || query.data ? 'No iApp matches these filters.' : 'No iApp is listed yet.'}</p>
          <p>{query.q || query.category || query.teeFramework || query.maxPrice || query.data ? <Link href="/">Clear the filters</Link> : 'Publishers list theirs with `confidant deploy` then `confidant publish`.'}</p>
        </div>
      ) : (
        <ul className="cards" aria-label="iApps">
          {page?.items.map((app) => (
            <li key={app.address} className="card">
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
          ))}
        </ul>
      )}
      {page && (current > 1 || page.nextCursor !== null) ? (
        <nav className="pages" aria-label="Pages">
          {current > 1 ? <Link href={link(current - 1)}>← Previous</Link> : null}
          <span>Page {current}</span>
          {page.nextCursor !== null ? <Link href={link(current + 1)}>Next →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
