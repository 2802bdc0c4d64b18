import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { isAddressText } from '@confidant/contracts/schemas';
import { NotIndexedError } from '@confidant/sdk';
import { api } from '@/lib/api';
import { webEnv } from '@/lib/env';
import { formatPrice, parseFingerprint, TEE_NAMES } from '@/lib/format';
import { ApiDown } from '@/lib/ApiDown';
import { About, Inputs, OnChain, Trust, Usage, Versions } from './AppSections';

export const dynamic = 'force-dynamic';

type Params = Promise<{ address: string }>;

async function load(address: string) {
  if (!isAddressText(address)) return undefined;
  try {
    return await api().apps.get.query({ address });
  } catch (error) {
    if (error instanceof NotIndexedError) return undefined;
    throw error;
  }
}

/** The app with its usage and listing versions, or undefined when no app is registered at the address. */
async function loadWithHistory(address: string) {
  const app = await load(address);
  if (!app) return undefined;
  const [stats, versions] = await Promise.all([api().apps.stats.query({ address }), api().apps.versions.query({ address })]);
  return { app, stats, versions };
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const app = await load((await params).address).catch(() => undefined);
  return { title: app ? (app.title ?? app.name) : 'iApp not found' };
}

export default async function AppPage({ params }: { params: Params }) {
  const { address } = await params;
  let loaded;
  try {
    loaded = await loadWithHistory(address);
  } catch (error) {
    return <ApiDown what="This iApp" error={error} />;
  }
  if (!loaded) notFound();
  const { app, stats, versions } = loaded;
  const env = webEnv();
  const fingerprint = parseFingerprint(app.mrenclave);
  const framework = app.teeFramework ? (TEE_NAMES[app.teeFramework] ?? app.teeFramework) : fingerprint?.framework;

  return (
    <article className="app">
      <h1>{app.title ?? app.name}</h1>
      <p className="meta">
        {formatPrice(app.price)} per run · {app.category ?? 'uncategorised'} · published by <code>{app.owner}</code>
      </p>
      {!app.listed ? <p className="notice">This app is registered on chain but not listed by its publisher.</p> : null}
      <p>
        <Link href={`/run?app=${app.address}`} className="button">
          Run this iApp
        </Link>
      </p>

      <About app={app} />

      <Inputs app={app} />

      <Trust app={app} env={env} framework={framework} entrypoint={fingerprint?.entrypoint} />

      <Usage stats={stats} />

      <OnChain app={app} />

      <Versions versions={versions} />
    </article>
  );
}
