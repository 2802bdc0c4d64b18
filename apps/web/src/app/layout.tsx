import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { webEnv } from '@/lib/env';
import { currentAccount } from '@/lib/session';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Confidant — confidential apps on protected data', template: '%s · Confidant' },
  description: 'A marketplace of iApps: confidential applications that process protected data inside a Trusted Execution Environment.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const env = webEnv();
  const account = await currentAccount();
  return (
    <html lang="en">
      <body>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <header className="site">
          <Link href="/" className="brand">
            Confidant
          </Link>
          <nav aria-label="Main">
            <Link href="/">Catalogue</Link>
            {account ? <Link href="/data">My data</Link> : null}
            {account ? <Link href="/publish">My iApps</Link> : null}
            {account ? <Link href="/run">Run</Link> : null}
          </nav>
          <span
            className={env.simulated ? 'network simulated' : 'network'}
            title={env.simulated ? 'Enclaves on this network are simulated: the host can read their memory.' : 'Hardware enclaves'}
          >
            {env.network}
            {env.simulated ? ' · simulated enclaves' : ''}
          </span>
          {account ? (
            <form method="post" action="/api/auth/signout" className="account">
              <code title={account}>
                {account.slice(0, 6)}…{account.slice(-4)}
              </code>{' '}
              <button type="submit">Sign out</button>
            </form>
          ) : (
            <Link href="/signin">Sign in</Link>
          )}
        </header>
        <main id="main">{children}</main>
        <footer className="site">
          <p>iApps run inside Trusted Execution Environments; data owners grant, watch and revoke every use of their data.</p>
        </footer>
      </body>
    </html>
  );
}
