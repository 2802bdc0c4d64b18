import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { cataloguePageSchema } from '@/lib/api';
import { ApiDown } from '@/lib/ApiDown';
import { formatPrice, shortAddress } from '@/lib/format';
import { apiForVisitor, currentAccount } from '@/lib/session';
import { browserSetupFor } from '@/lib/setup';
import { Balance, GrantForm, RevokeButton } from './Access';
import { ProtectForm } from './ProtectForm';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'My protected data' };

const uint = z.union([z.bigint(), z.string().regex(/^\d+$/).transform(BigInt)]);
const dataPage = z.object({ items: z.array(z.object({ address: z.string(), name: z.string(), schema: z.record(z.string(), z.unknown()).nullable(), createdAt: z.coerce.date() })), nextCursor: z.number().nullable() });
const grantPage = z.object({
  items: z.array(z.object({ hash: z.string(), dataset: z.string(), app: z.string().nullable(), requester: z.string().nullable(), pricePerUse: uint, uses: uint, usesLeft: uint, status: z.string(), revoked: z.boolean(), expiresAt: z.coerce.date().nullable() })),
});
const taskPage = z.object({ items: z.array(z.object({ taskId: z.string(), status: z.string(), app: z.string(), requester: z.string(), datasetPrice: uint, initializedAt: z.coerce.date().nullable() })) });

const when = (date: Date | null) => (date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—');

/**
 * The data owner's console: protect data (in the browser), each protected data with its grants
 * (grant, revoke) and every task that used it, and the balance its uses earned.
 */
export default async function MyDataPage() {
  const account = await currentAccount();
  if (!account) redirect('/signin?next=/data');
  const { api } = await apiForVisitor();
  const { setup, problem } = await browserSetupFor(account);
  let details;
  let apps: { address: string; title: string }[];
  try {
    const listed = api.query('apps.list', { limit: 100, sort: 'mostUsed' }, cataloguePageSchema);
    const data = await api.query('protectedData.list', { owner: account, limit: 50 }, dataPage);
    details = await Promise.all(
      data.items.map(async (item) => ({
        item,
        grants: (await api.query('grants.list', { dataset: item.address, includeClosed: true, live: true, limit: 50 }, grantPage)).items,
        uses: (await api.query('tasks.list', { dataset: item.address, limit: 50 }, taskPage)).items,
      })),
    );
    apps = (await listed).items.map((app) => ({ address: app.address, title: app.title ?? app.name }));
  } catch (error) {
    return <ApiDown what="Your protected data" error={error} />;
  }
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
          <section key={item.address} aria-labelledby={`d-${item.address}`} className="dataset">
            <h2 id={`d-${item.address}`}>{item.name || shortAddress(item.address)}</h2>
            <p className="meta">
              <code>{item.address}</code> · created {when(item.createdAt)} · fields {item.schema ? Object.keys(item.schema).join(', ') : 'unknown'} ·{' '}
              <Link href={`/?data=${item.address}`}>iApps that work with it</Link>
            </p>
            <h3>Grants</h3>
            {setup ? <GrantForm setup={setup} dataset={item.address} apps={apps} /> : null}
            {grants.length === 0 ? (
              <p>Not granted to any app: nobody can use it.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">App</th>
                    <th scope="col">User</th>
                    <th scope="col">Price per use</th>
                    <th scope="col">Uses left</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Status</th>
                    {setup ? <th scope="col">Action</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {grants.map((grant) => (
                    <tr key={grant.hash}>
                      <td>{grant.app ? <Link href={`/apps/${grant.app}`}>{shortAddress(grant.app)}</Link> : 'any app'}</td>
                      <td>{grant.requester ? shortAddress(grant.requester) : 'anyone'}</td>
                      <td>{formatPrice(grant.pricePerUse)}</td>
                      <td>
                        {grant.usesLeft.toString()} of {grant.uses.toString()}
                      </td>
                      <td>{when(grant.expiresAt)}</td>
                      <td>{grant.revoked ? 'revoked' : grant.status}</td>
                      {setup ? <td>{grant.revoked || grant.usesLeft === 0n ? null : <RevokeButton setup={setup} grant={grant.hash} app={grant.app ? shortAddress(grant.app) : 'any app'} />}</td> : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h3>Usage history</h3>
            {uses.length === 0 ? (
              <p>No task has used it yet.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">App</th>
                    <th scope="col">Requester</th>
                    <th scope="col">Status</th>
                    <th scope="col">Earned</th>
                  </tr>
                </thead>
                <tbody>
                  {uses.map((task) => (
                    <tr key={task.taskId}>
                      <td>{when(task.initializedAt)}</td>
                      <td>
                        <Link href={`/apps/${task.app}`}>{shortAddress(task.app)}</Link>
                      </td>
                      <td>{shortAddress(task.requester)}</td>
                      <td>{task.status}</td>
                      <td>{task.status === 'COMPLETED' ? formatPrice(task.datasetPrice) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        ))
      )}
    </>
  );
}
