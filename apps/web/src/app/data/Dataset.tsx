import Link from 'next/link';
import type { ApiOutputs } from '@confidant/sdk';
import type { BrowserSetup } from '@/lib/browser/setup';
import { formatPrice, shortAddress } from '@/lib/format';
import { GrantForm, RevokeButton } from './Access';

type Dataset = ApiOutputs['protectedData']['list']['items'][number];
type Grant = ApiOutputs['grants']['list']['items'][number];
type Use = ApiOutputs['tasks']['list']['items'][number];

const when = (date: Date | null) => (date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—');

/**
 * One protected data of the owner: what it is, its grants (granting and revoking them when the
 * browser can sign) and every task that used it.
 */
export function DatasetSection({
  item,
  grants,
  uses,
  setup,
  apps,
}: {
  item: Dataset;
  grants: Grant[];
  uses: Use[];
  setup: BrowserSetup | undefined;
  apps: { address: string; title: string }[];
}) {
  return (
    <section aria-labelledby={`d-${item.address}`} className="dataset">
      <h2 id={`d-${item.address}`}>{item.name || shortAddress(item.address)}</h2>
      <p className="meta">
        <code>{item.address}</code> · created {when(item.createdAt)} · fields{' '}
        {item.schema ? Object.keys(item.schema).join(', ') : 'unknown'} ·{' '}
        <Link href={`/?data=${item.address}`}>iApps that work with it</Link>
      </p>
      <h3>Grants</h3>
      {setup ? <GrantForm setup={setup} dataset={item.address} apps={apps} /> : null}
      <Grants grants={grants} setup={setup} />
      <h3>Usage history</h3>
      <Uses uses={uses} />
    </section>
  );
}

/** The grants of one protected data, each revocable while it has uses left. */
function Grants({ grants, setup }: { grants: Grant[]; setup: BrowserSetup | undefined }) {
  if (grants.length === 0) return <p>Not granted to any app: nobody can use it.</p>;
  return (
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
          <GrantRow key={grant.hash} grant={grant} setup={setup} />
        ))}
      </tbody>
    </table>
  );
}

function GrantRow({ grant, setup }: { grant: Grant; setup: BrowserSetup | undefined }) {
  return (
    <tr>
      <td>{grant.app ? <Link href={`/apps/${grant.app}`}>{shortAddress(grant.app)}</Link> : 'any app'}</td>
      <td>{grant.requester ? shortAddress(grant.requester) : 'anyone'}</td>
      <td>{formatPrice(grant.pricePerUse)}</td>
      <td>
        {grant.usesLeft.toString()} of {grant.uses.toString()}
      </td>
      <td>{when(grant.expiresAt)}</td>
      <td>{grant.revoked ? 'revoked' : grant.status}</td>
      {setup ? (
        <td>
          {grant.revoked || grant.usesLeft === 0n ? null : (
            <RevokeButton setup={setup} grant={grant.hash} app={grant.app ? shortAddress(grant.app) : 'any app'} />
          )}
        </td>
      ) : null}
    </tr>
  );
}

/** The tasks that used one protected data, and what each earned. */
function Uses({ uses }: { uses: Use[] }) {
  if (uses.length === 0) return <p>No task has used it yet.</p>;
  return (
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
  );
}
