import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { api, appDetailSchema, appStatsSchema, appVersionSchema } from '@/lib/api';
import { webEnv } from '@/lib/env';
import { codeLocation, formatPrice, parseFingerprint, TEE_NAMES } from '@/lib/format';
import { ApiDown } from '@/lib/ApiDown';
import { Markdown } from '@/lib/markdown';

export const dynamic = 'force-dynamic';

type Params = Promise<{ address: string }>;

async function load(address: string) {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return undefined;
  try {
    return await api().query('apps.get', { address }, appDetailSchema);
  } catch (error) {
    if (error instanceof Error && 'kind' in error && (error as { kind: string }).kind === 'not-found') return undefined;
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const app = await load((await params).address).catch(() => undefined);
  return { title: app ? (app.title ?? app.name) : 'iApp not found' };
}

export default async function AppPage({ params }: { params: Params }) {
  const { address } = await params;
  let loaded;
  try {
    const app = await load(address);
    if (app) {
      const [stats, versions] = await Promise.all([api().query('apps.stats', { address }, appStatsSchema), api().query('apps.versions', { address }, z.array(appVersionSchema))]);
      loaded = { app, stats, versions };
    }
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

      <section aria-labelledby="about">
        <h2 id="about">About</h2>
        {app.description ? <Markdown source={app.description} /> : <p>No description.</p>}
      </section>

      <section aria-labelledby="inputs">
        <h2 id="inputs">What it needs</h2>
        <dl>
          <dt>Protected data</dt>
          <dd>
            {app.requiredSchema && Object.keys(app.requiredSchema).length > 0 ? (
              <ul className="schema">
                {Object.entries(app.requiredSchema).map(([key, type]) => (
                  <li key={key}>
                    <code>{key}</code>: {typeof type === 'string' ? type : 'object'}
                  </li>
                ))}
              </ul>
            ) : (
              'none required'
            )}
          </dd>
          {app.argsDescription ? (
            <>
              <dt>Arguments</dt>
              <dd>{app.argsDescription}</dd>
            </>
          ) : null}
          {app.secretsDescription ? (
            <>
              <dt>Secrets</dt>
              <dd>{app.secretsDescription}</dd>
            </>
          ) : null}
          {app.inputFilesDescription ? (
            <>
              <dt>Input files</dt>
              <dd>{app.inputFilesDescription}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="trust" className="trust">
        <h2 id="trust">Trust</h2>
        {env.simulated ? (
          <p className="notice warning" role="note">
            <strong>Simulated enclaves.</strong> The {env.network} network runs apps in simulated enclaves: the measurement and the attestation protocol are real, but the machine running them can read their memory. Do not use real secrets here.
          </p>
        ) : (
          <p className="notice" role="note">
            The {env.network} network runs apps in hardware enclaves ({framework ?? 'TEE'}): your data is decrypted only inside an enclave whose measurement matches the one below.
          </p>
        )}
        <dl>
          <dt>Measurement (on-chain checksum)</dt>
          <dd>
            <code className="hash">{app.checksum}</code>
          </dd>
          <dt>TEE framework</dt>
          <dd>{framework ?? 'not declared (this app cannot receive protected data)'}</dd>
          {fingerprint?.entrypoint ? (
            <>
              <dt>Entrypoint</dt>
              <dd>
                <code>{fingerprint.entrypoint}</code>
              </dd>
            </>
          ) : null}
          <dt>Code location</dt>
          <dd>
            <code className="hash">{codeLocation(app.multiaddr)}</code>
          </dd>
          {app.sourceUrl ? (
            <>
              <dt>Source</dt>
              <dd>{app.sourceUrl}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="usage">
        <h2 id="usage">Usage</h2>
        <dl className="stats">
          <dt>Runs</dt>
          <dd>{stats.tasks}</dd>
          <dt>Completed</dt>
          <dd>{stats.completed}</dd>
          <dt>Failed</dt>
          <dd>{stats.failed}</dd>
          <dt>Requesters</dt>
          <dd>{stats.requesters}</dd>
        </dl>
      </section>

      <section aria-labelledby="chain">
        <h2 id="chain">On chain</h2>
        <dl>
          <dt>App address</dt>
          <dd>
            <code>{app.address}</code>
          </dd>
          <dt>Registered in</dt>
          <dd>
            block {app.createdBlock.toString()}, transaction <code className="hash">{app.createdTx}</code>
          </dd>
        </dl>
      </section>

      <section aria-labelledby="versions">
        <h2 id="versions">Listing versions</h2>
        {versions.length === 0 ? (
          <p>Never listed.</p>
        ) : (
          <ol reversed>
            {versions.map((v) => (
              <li key={v.version}>
                version {v.version}, {v.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC{typeof v.listing['price'] === 'string' ? ` — ${formatPrice(BigInt(v.listing['price']))}` : ''}
              </li>
            ))}
          </ol>
        )}
      </section>
    </article>
  );
}
