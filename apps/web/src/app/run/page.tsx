import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { appDetailSchema, cataloguePageSchema } from '@/lib/api';
import { ApiDown } from '@/lib/ApiDown';
import { formatPrice } from '@/lib/format';
import { apiForVisitor, currentAccount } from '@/lib/session';
import { browserSetupFor } from '@/lib/setup';
import { RunForm, type UsableData } from './RunForm';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Run an iApp' };

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const uint = z.union([z.bigint(), z.string().regex(/^\d+$/).transform(BigInt)]);
const grantPage = z.object({ items: z.array(z.object({ dataset: z.string(), pricePerUse: uint, usesLeft: uint, revoked: z.boolean(), status: z.string() })) });
const dataSchema = z.object({ address: z.string(), name: z.string() });

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim();

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

  if (!app || !ADDRESS.test(app)) {
    let listed;
    try {
      listed = await api.query('apps.list', { limit: 100, sort: 'mostUsed' }, cataloguePageSchema);
    } catch (error) {
      return <ApiDown what="The iApps" error={error} />;
    }
    return (
      <>
        <h1>Run an iApp</h1>
        {app ? <p className="notice error" role="alert">&quot;{app.slice(0, 60)}&quot; is not an iApp address: pick one below.</p> : null}
        <form method="get" action="/run" className="panel">
          <label>
            iApp
            <select name="app">
              {listed.items.map((item) => (
                <option key={item.address} value={item.address}>
                  {item.title ?? item.name} — {formatPrice(item.price)}
                </option>
              ))}
            </select>
          </label>
          {data && ADDRESS.test(data) ? <input type="hidden" name="data" value={data} /> : null}
          <div>
            <button type="submit">Choose</button>
          </div>
        </form>
      </>
    );
  }

  let loaded;
  try {
    const detail = await api.query('apps.get', { address: app }, appDetailSchema).catch((error: unknown) => {
      if (error instanceof Error && 'kind' in error && (error as { kind: string }).kind === 'not-found') return undefined;
      throw error;
    });
    if (detail) {
      // Grants this account may use: for it or for anyone, not revoked, uses left.
      const grants = await api.query('grants.list', { app, requester: account, live: true, limit: 50 }, grantPage);
      const usable = new Map<string, bigint>();
      for (const grant of grants.items) {
        if (grant.revoked || grant.usesLeft === 0n) continue;
        const known = usable.get(grant.dataset);
        if (known === undefined || grant.pricePerUse < known) usable.set(grant.dataset, grant.pricePerUse);
      }
      const options: UsableData[] = await Promise.all(
        [...usable].map(async ([address, price]) => ({ address, name: (await api.query('protectedData.get', { address }, dataSchema).catch(() => ({ name: '' }))).name, price: price.toString() })),
      );
      loaded = { detail, options };
    }
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
  const { detail, options } = loaded;
  const title = detail.title ?? detail.name;
  return (
    <>
      <h1>Run {title}</h1>
      <p className="meta">
        <Link href={`/apps/${detail.address}`}>About this iApp</Link> · {formatPrice(detail.price)} per run · signed in as <code>{account}</code>
      </p>
      {setup ? (
        <RunForm
          setup={setup}
          app={detail.address}
          title={title}
          appPrice={(detail.price ?? 0n).toString()}
          needsData={detail.requiredSchema !== null}
          data={options}
          preselected={data}
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
