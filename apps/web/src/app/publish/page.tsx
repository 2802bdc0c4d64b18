import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { appStatsSchema, cataloguePageSchema } from '@/lib/api';
import { ApiDown } from '@/lib/ApiDown';
import { formatPrice } from '@/lib/format';
import { apiForVisitor, currentAccount } from '@/lib/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'My iApps' };

/** The publisher's console: every app this account registered, listed or not, with its usage and earnings. */
export default async function MyAppsPage() {
  const account = await currentAccount();
  if (!account) redirect('/signin');
  const { api } = await apiForVisitor();
  let rows;
  try {
    const mine = await api.query('apps.list', { publisher: account, includeUnlisted: true, limit: 100 }, cataloguePageSchema);
    rows = await Promise.all(mine.items.map(async (app) => ({ app, stats: await api.query('apps.stats', { address: app.address }, appStatsSchema) })));
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
                <td>{app.listed ? 'yes' : 'no — `confidant publish` lists it'}</td>
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
      )}
    </>
  );
}
