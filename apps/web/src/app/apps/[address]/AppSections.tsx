import type { ApiOutputs } from '@confidant/sdk';
import type { AppDetail } from '@/lib/api';
import type { WebEnv } from '@/lib/env';
import { codeLocation, formatPrice } from '@/lib/format';
import { Markdown } from '@/lib/markdown';

type Stats = ApiOutputs['apps']['stats'];
type Version = ApiOutputs['apps']['versions'][number];

/** The app's description (markdown). */
export function About({ app }: { app: AppDetail }) {
  return (
    <section aria-labelledby="about">
      <h2 id="about">About</h2>
      {app.description ? <Markdown source={app.description} /> : <p>No description.</p>}
    </section>
  );
}

/** What a run needs: the protected data's fields, arguments, secrets and input files. */
export function Inputs({ app }: { app: AppDetail }) {
  return (
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
        <Described term="Arguments" text={app.argsDescription} />
        <Described term="Secrets" text={app.secretsDescription} />
        <Described term="Input files" text={app.inputFilesDescription} />
      </dl>
    </section>
  );
}

/** A term and its description, when the publisher wrote one. */
function Described({ term, text }: { term: string; text: string | null | undefined }) {
  return text ? (
    <>
      <dt>{term}</dt>
      <dd>{text}</dd>
    </>
  ) : null;
}

/** An app's on-chain checksum as the image digest it is (`sha256:…`), what registries and `confidant test` show. */
const imageDigestOf = (checksum: string) => (/^0x[0-9a-f]{64}$/i.test(checksum) ? `sha256:${checksum.slice(2).toLowerCase()}` : checksum);

/** Where the app runs and what identifies its code: the enclave kind, its image digest and its image. */
export function Trust({
  app,
  env,
  framework,
  entrypoint,
}: {
  app: AppDetail;
  env: WebEnv;
  framework: string | undefined;
  entrypoint: string | undefined;
}) {
  return (
    <section aria-labelledby="trust" className="trust">
      <h2 id="trust">Trust</h2>
      {env.simulated ? (
        <p className="notice warning" role="note">
          <strong>Simulated enclaves.</strong> The {env.network} network runs apps in simulated enclaves: the measurement and the
          attestation protocol are real, but the machine running them can read their memory. Do not use real secrets here.
        </p>
      ) : (
        <p className="notice" role="note">
          The {env.network} network runs apps in hardware enclaves ({framework ?? 'TEE'}): your data is decrypted only inside an enclave
          running the image whose digest is below.
        </p>
      )}
      <dl>
        <dt>Image digest (the measurement, registered on chain)</dt>
        <dd>
          <code className="hash">{imageDigestOf(app.checksum)}</code>
        </dd>
        <dt>TEE framework</dt>
        <dd>{framework ?? 'not declared (this app cannot receive protected data)'}</dd>
        {entrypoint ? (
          <>
            <dt>Entrypoint</dt>
            <dd>
              <code>{entrypoint}</code>
            </dd>
          </>
        ) : null}
        <dt>Image</dt>
        <dd>
          <code className="hash">{codeLocation(app.multiaddr)}</code>
        </dd>
        <Described term="Source" text={app.sourceUrl} />
      </dl>
    </section>
  );
}

/** How often the app ran, and for how many requesters. */
export function Usage({ stats }: { stats: Stats }) {
  return (
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
  );
}

/** The app's address and the transaction that registered it. */
export function OnChain({ app }: { app: AppDetail }) {
  return (
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
  );
}

/** Every version of the app's listing, newest first. */
export function Versions({ versions }: { versions: Version[] }) {
  return (
    <section aria-labelledby="versions">
      <h2 id="versions">Listing versions</h2>
      {versions.length === 0 ? (
        <p>Never listed.</p>
      ) : (
        <ol reversed>
          {versions.map((v) => (
            <li key={v.version}>
              version {v.version}, {v.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC
              {typeof v.listing['price'] === 'string' ? ` — ${formatPrice(BigInt(v.listing['price']))}` : ''}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
