'use client';

import { useState } from 'react';

type Eip1193 = { request(args: { method: string; params?: unknown[] }): Promise<unknown> };

/** Sign-In with Ethereum through the browser's wallet (EIP-1193): it signs, the server checks. */
export function InjectedWallet({ next }: { next: string }) {
  const [status, setStatus] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  /** Each step of the sign-in; the first that fails says why, or undefined when signed in. */
  async function signInSteps(wallet: Eip1193): Promise<string | undefined> {
    setStatus('Asking your wallet for an account…');
    const [address] = (await wallet.request({ method: 'eth_requestAccounts' })) as string[];
    if (!address) return 'the wallet gave no account';
    setStatus('Preparing the sign-in message…');
    const prepared = await fetch('/api/auth/message', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address }),
    });
    const { message, error: refused } = (await prepared.json()) as { message?: string; error?: string };
    if (!message) return refused ?? 'no sign-in message';
    setStatus('Sign the message in your wallet…');
    const signature = (await wallet.request({ method: 'personal_sign', params: [message, address] })) as string;
    const verified = await fetch('/api/auth/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message, signature }),
    });
    if (!verified.ok) return ((await verified.json()) as { error?: string }).error ?? 'sign-in refused';
    return undefined;
  }

  async function signIn() {
    setError(undefined);
    const wallet = (window as unknown as { ethereum?: Eip1193 }).ethereum;
    if (!wallet) {
      setError('No browser wallet found. Install one (e.g. a wallet extension), or use a local account below when on the local network.');
      return;
    }
    // The wallet itself rejects (the user declined, wrong network): its message is the reason.
    const problem = await signInSteps(wallet).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
    if (problem === undefined) {
      window.location.assign(next);
      return;
    }
    setStatus(undefined);
    setError(`${problem}. Try again, or check the account and network in your wallet.`);
  }

  return (
    <div>
      <button type="button" onClick={signIn}>
        Sign in with your wallet
      </button>
      {status ? <p role="status">{status}</p> : null}
      {error ? (
        <p role="alert" className="notice error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
