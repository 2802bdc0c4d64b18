import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { isAddressText } from '@confidant/contracts/schemas';
import { type ApiClient, NotIndexedError } from '@confidant/sdk';
import type { AppCard, AppDetail } from '@/lib/api';
import { ApiDown } from '@/lib/ApiDown';
import type { BrowserSetup } from '@/lib/browser/setup';
import { formatPrice } from '@/lib/format';
import { apiForVisitor, currentAccount } from '@/lib/session';
import { browserSetupFor } from '@/lib/setup';
import { RunForm, type UsableData } from './RunForm';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Run an iApp' };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim();

/** The app, and the protected data this account may run it on (at each one's lowest price), or undefined when no app is registered there. */
async function loadRun(
  api: ApiClient,
  app: string,
  account: `0x${string}`,
): Promise<{ detail: AppDetail; options: UsableData[] } | undefined> {
  const detail = await api.apps.get.query({ address: app }).catch((error: unknown) => {
    if (error instanceof NotIndexedError) return undefined;
    throw error;
  });
  if (!detail) return undefined;
  // Grants this account may use: for it or for anyone, not revoked, uses left.
  const grants = await api.grants.list.query({ app, requester: account, live: true, limit: 50 });
  const usable = new Map<string, bigint>();
  for (const grant of grants.items) {
    if (grant.revoked || grant.usesLeft === 0n) continue;
    const known = usable.get(grant.dataset);
    if (known === undefined || grant.pricePerUse < known) usable.set(grant.dataset, grant.pricePerUse);
  }
  const options: UsableData[] = await Promise.all(
    [...usable].map(async ([address, price]) => ({
      address,
      name: (await api.protectedData.get.query({ address }).catch(() => ({ name: '' }))).name,
      price: price.toString(),
    })),
  );
  return { detail, options };
}

/** Run an iApp: pick it and data I may use, set its inputs, follow the task, read the result here. */
export default async function RunPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const app = one(params['app']);
  const data = one(params['data']);
  const account = await currentAccount();
  if (!account) {
    const back = new URLSearchParams({ ...(app ? { app } : {}), ...(data ? { data } : {}) }).toString();
    redirect(`/signin?next=${encodeURIComponent(`/run${back ? `?${back}` : ''}`)}`);
  }
  const { api } = await apiForVisitor();
  const { setup, problem } = await browserSetupFor(account);

  if (!app || !isAddressText(app)) {
    let listed;
    try {
      listed = await api.apps.list.query({ limit: 100, sort: 'mostUsed' });
    } catch (error) {
      return <ApiDown what="The iApps" error={error} />;
    }
    return <ChooseApp app={app} data={data} apps={listed.items} />;
  }

  let loaded;
  try {
    loaded = await loadRun(api, app, account);
  } catch (error) {
    return <ApiDown what="This iApp" error={error} />;
  }
  if (!loaded) {
    return (
      <>
        <h1>Run an iApp</h1>
        <p className="notice error" role="alert">
          No iApp is registered at <code>{app}</code>. <Link href="/run">Pick one</Link> or browse the <Link href="/">catalogue</Link>.
        </p>
      </>
    );
  }
  return <RunApp account={account} setup={setup} problem={problem} detail={loaded.detail} options={loaded.options} preselected={data} />;
}

/** Pick the iApp to run (when none, or not an address, was asked for). */
function ChooseApp({ app, data, apps }: { app: string | undefined; data: string | undefined; apps: AppCard[] }) {
  return (
    <>
      <h1>Run an iApp</h1>
      {app ? (
        <p className="notice error" role="alert">
          &quot;{app.slice(0, 60)}&quot; is not an iApp address: pick one below.
        </p>
      ) : null}
      <form method="get" action="/run" className="panel">
        <label>
          iApp
          <select name="app">
            {apps.map((item) => (
              <option key={item.address} value={item.address}>
                {item.title ?? item.name} — {formatPrice(item.price)}
              </option>
            ))}
          </select>
        </label>
        {data && isAddressText(data) ? <input type="hidden" name="data" value={data} /> : null}
        <div>
          <button type="submit">Choose</button>
        </div>
      </form>
    </>
  );
}

type RunAppProps = {
  account: `0x${string}`;
  setup: BrowserSetup | undefined;
  problem: string | undefined;
  detail: AppDetail;
  options: UsableData[];
  preselected: string | undefined;
};

/** The chosen iApp and its run form, or why this browser cannot run it. */
function RunApp({ account, setup, problem, detail, options, preselected }: RunAppProps) {
  const title = detail.title ?? detail.name;
  return (
    <>
      <h1>Run {title}</h1>
      <p className="meta">
        <Link href={`/apps/${detail.address}`}>About this iApp</Link> · {formatPrice(detail.price)} per run · signed in as{' '}
        <code>{account}</code>
      </p>
      {setup ? (
        <RunForm
          setup={setup}
          app={detail.address}
          title={title}
          appPrice={(detail.price ?? 0n).toString()}
          needsData={detail.requiredSchema !== null}
          data={options}
          preselected={preselected}
          hints={{ args: detail.argsDescription, secrets: detail.secretsDescription, inputFiles: detail.inputFilesDescription }}
        />
      ) : (
        <p className="notice warning" role="status">
          {problem}
        </p>
      )}
    </>
  );
}
