import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import type { ApiClient } from '@confidant/sdk';
import { ApiDown } from '@/lib/ApiDown';
import { apiForVisitor, currentAccount } from '@/lib/session';
import { browserSetupFor } from '@/lib/setup';
import { Balance } from './Access';
import { DatasetSection } from './Dataset';
import { ProtectForm } from './ProtectForm';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'My protected data' };

/** The account's protected data, each with its grants and the tasks that used it, and the iApps it may grant. */
async function loadMyData(api: ApiClient, account: `0x${string}`) {
  const listed = api.apps.list.query({ limit: 100, sort: 'mostUsed' });
  const data = await api.protectedData.list.query({ owner: account, limit: 50 });
  const details = await Promise.all(
    data.items.map(async (item) => ({
      item,
      grants: (await api.grants.list.query({ dataset: item.address, includeClosed: true, live: true, limit: 50 })).items,
      uses: (await api.tasks.list.query({ dataset: item.address, limit: 50 })).items,
    })),
  );
  const apps = (await listed).items.map((app) => ({ address: app.address, title: app.title ?? app.name }));
  return { details, apps };
}

/**
 * The data owner's console: protect data (in the browser), each protected data with its grants
 * (grant, revoke) and every task that used it, and the balance its uses earned.
 */
export default async function MyDataPage() {
  const account = await currentAccount();
  if (!account) redirect('/signin?next=/data');
  const { api } = await apiForVisitor();
  const { setup, problem } = await browserSetupFor(account);
  let loaded;
  try {
    loaded = await loadMyData(api, account);
  } catch (error) {
    return <ApiDown what="Your protected data" error={error} />;
  }
  const { details, apps } = loaded;
  return (
    <>
      <h1>My protected data</h1>
      <p className="meta">
        Signed in as <code>{account}</code>.
      </p>
      {setup ? (
        <>
          <ProtectForm setup={setup} />
          <Balance setup={setup} />
        </>
      ) : (
        <p className="notice warning" role="status">
          {problem}
        </p>
      )}
      {details.length === 0 ? (
        <div className="notice" role="status">
          <p>You have no protected data on this network yet.</p>
          <p>Protect some with the form above, with `confidant protect`, or with the SDK&apos;s protectData.</p>
        </div>
      ) : (
        details.map(({ item, grants, uses }) => (
          <DatasetSection key={item.address} item={item} grants={grants} uses={uses} setup={setup} apps={apps} />
        ))
      )}
    </>
  );
}
