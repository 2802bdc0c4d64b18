import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import type { ApiClient, ApiOutputs } from '@confidant/sdk';
import type { AppCard, AppDetail } from '@/lib/api';
import { ApiDown } from '@/lib/ApiDown';
import type { BrowserSetup } from '@/lib/browser/setup';
import { formatPrice } from '@/lib/format';
import type { SchemaTree } from '@/lib/schemaText';
import { apiForVisitor, currentAccount } from '@/lib/session';
import { browserSetupFor } from '@/lib/setup';
import { ListingForm, type ListingValues } from './ListingForm';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'My iApps' };

type Row = { app: AppCard; stats: ApiOutputs['apps']['stats']; detail: AppDetail };

/** Every app the account registered, listed or not, with its usage and its listing. */
async function loadMyApps(api: ApiClient, account: `0x${string}`): Promise<Row[]> {
  const mine = await api.apps.list.query({ publisher: account, includeUnlisted: true, limit: 100 });
  return Promise.all(
    mine.items.map(async (app) => {
      const [stats, detail] = await Promise.all([
        api.apps.stats.query({ address: app.address }),
        api.apps.get.query({ address: app.address }),
      ]);
      return { app, stats, detail };
    }),
  );
}

/**
 * The publisher's console: every app this account registered, listed or not, with its usage and
 * earnings; create or edit each listing, set its price and publish its app order.
 */
export default async function MyAppsPage() {
  const account = await currentAccount();
  if (!account) redirect('/signin?next=/publish');
  const { api } = await apiForVisitor();
  const { setup, problem } = await browserSetupFor(account);
  let rows;
  try {
    rows = await loadMyApps(api, account);
  } catch (error) {
    return <ApiDown what="Your iApps" error={error} />;
  }
  const earned = rows.reduce((sum, { stats }) => sum + stats.earnings, 0n);
  return (
    <>
      <h1>My iApps</h1>
      <p className="meta">
        Signed in as <code>{account}</code> · earned {formatPrice(earned)} in total.
      </p>
      {rows.length === 0 ? (
        <div className="notice" role="status">
          <p>You have not registered an iApp on this network yet.</p>
          <p>Create one with `confidant init`, try it with `confidant test`, then `confidant deploy` and `confidant publish`.</p>
        </div>
      ) : (
        <AppsTable rows={rows} />
      )}
      {rows.length > 0 && !setup ? (
        <p className="notice warning" role="status">
          {problem}
        </p>
      ) : null}
      {setup ? rows.map(({ app, detail }) => <Listing key={app.address} setup={setup} app={app} detail={detail} />) : null}
    </>
  );
}

/** The account's apps with their usage and earnings. */
function AppsTable({ rows }: { rows: Row[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">iApp</th>
          <th scope="col">Listed</th>
          <th scope="col">Price</th>
          <th scope="col">Runs</th>
          <th scope="col">Completed</th>
          <th scope="col">Failed</th>
          <th scope="col">Requesters</th>
          <th scope="col">Earned</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ app, stats }) => (
          <tr key={app.address}>
            <td>
              <Link href={`/apps/${app.address}`}>{app.title ?? app.name}</Link>
            </td>
            <td>{app.listed ? 'yes' : 'no — list it below'}</td>
            <td>{formatPrice(app.price)}</td>
            <td>{stats.tasks}</td>
            <td>{stats.completed}</td>
            <td>{stats.failed}</td>
            <td>{stats.requesters}</td>
            <td>{formatPrice(stats.earnings)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The listing form's starting values: the app's current listing, or its registered name. */
function listingValues(app: AppCard, detail: AppDetail): ListingValues {
  return {
    title: detail.title ?? app.name,
    category: detail.category ?? '',
    tags: detail.tags,
    description: detail.description ?? '',
    price: (detail.price ?? 0n).toString(),
    requiredSchema: detail.requiredSchema as SchemaTree | null,
    argsDescription: detail.argsDescription ?? '',
    secretsDescription: detail.secretsDescription ?? '',
    inputFilesDescription: detail.inputFilesDescription ?? '',
    sourceUrl: detail.sourceUrl ?? '',
  };
}

/** One app's listing form. */
function Listing({ setup, app, detail }: { setup: BrowserSetup; app: AppCard; detail: AppDetail }) {
  return (
    <section aria-label={`Listing of ${app.title ?? app.name}`}>
      <ListingForm
        setup={setup}
        app={app.address}
        name={app.title ?? app.name}
        label={app.name}
        listed={app.listed}
        initial={listingValues(app, detail)}
      />
    </section>
  );
}
