'use client';

import Link from 'next/link';

/** Any page that failed to render: what happened in one line, and what to do. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="notice error" role="alert">
      <h1>This page could not be shown</h1>
      <p>The marketplace API may be down or still indexing the chain{error.digest ? ` (reference ${error.digest})` : ''}.</p>
      <p>
        Check that the network is running (`confidant dev` on a local machine), then{' '}
        <button type="button" onClick={reset}>
          try again
        </button>{' '}
        or go <Link href="/">back to the catalogue</Link>.
      </p>
    </div>
  );
}
