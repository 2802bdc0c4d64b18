'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import type { BrowserSetup } from '@/lib/browser/setup';
import { Outcome, parseNrlc, Problem, problemOf, useFlow } from '@/lib/browser/ui';
import { formatPrice } from '@/lib/format';

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Grant an app (and optionally one user) access to one protected data: a dataset order signed here. */
export function GrantForm({ setup, dataset, apps }: { setup: BrowserSetup; dataset: string; apps: { address: string; title: string }[] }) {
  const router = useRouter();
  const id = useId();
  const [app, setApp] = useState('');
  const [who, setWho] = useState<'anyone' | 'one'>('anyone');
  const [user, setUser] = useState('');
  const [price, setPrice] = useState('0');
  const [uses, setUses] = useState('1');
  const [expires, setExpires] = useState('');
  const { busy, status, setStatus, problem, setProblem, start, run } = useFlow();

  async function grant(event: FormEvent) {
    event.preventDefault();
    start();
    const pricePerAccess = parseNrlc(price);
    const numberOfAccess = parseNrlc(uses);
    const expiresAt = expires ? new Date(`${expires}T23:59:59`) : undefined;
    const wrong = !ADDRESS.test(app.trim())
      ? { message: 'The app is not an address.', hints: ['Pick an iApp from the list, or paste its 0x… address from its page.'] }
      : who === 'one' && !ADDRESS.test(user.trim())
        ? { message: 'The user is not an address.', hints: ['Paste the 0x… account of the person who may run the app, or choose "anyone".'] }
        : pricePerAccess === undefined
          ? { message: 'The price is not a whole number of nRLC.', hints: ['Write 0 for free, or e.g. 1000000000 for 1 RLC per use.'] }
          : numberOfAccess === undefined || numberOfAccess < 1n
            ? { message: 'The number of uses must be a whole number of at least 1.', hints: ['How many tasks may use the data under this grant.'] }
            : expiresAt && expiresAt.getTime() <= Date.now()
              ? { message: 'The end date is in the past.', hints: ['Pick a later date, or leave it empty for a grant that lasts until you revoke it.'] }
              : undefined;
    if (wrong) {
      setProblem(wrong);
      return;
    }
    await run(async () => {
      const [{ confidantFor }, { grantAccess }] = await Promise.all([import('@/lib/browser/client'), import('@confidant/sdk')]);
      setStatus('Sign the grant in your wallet if it asks…');
      await grantAccess(await confidantFor(setup), {
        protectedData: dataset as `0x${string}`,
        authorizedApp: app.trim() as `0x${string}`,
        ...(who === 'one' ? { authorizedUser: user.trim() as `0x${string}` } : {}),
        pricePerAccess,
        numberOfAccess,
        ...(expiresAt ? { expiresAt } : {}),
      });
      setStatus('Granted.');
      setApp('');
      router.refresh();
    });
  }

  return (
    <details>
      <summary>Grant access</summary>
      <form className="panel" onSubmit={grant} aria-label={`Grant access to ${dataset}`}>
        <label>
          App
          <input list={`${id}-apps`} value={app} onChange={(e) => setApp(e.target.value)} placeholder="0x… address of the iApp" autoComplete="off" />
        </label>
        <datalist id={`${id}-apps`}>
          {apps.map((a) => (
            <option key={a.address} value={a.address}>
              {a.title}
            </option>
          ))}
        </datalist>
        <fieldset className="row">
          <legend>Who may run it</legend>
          <label>
            <span>
              <input type="radio" name={`${id}-who`} checked={who === 'anyone'} onChange={() => setWho('anyone')} /> Anyone
            </span>
          </label>
          <label>
            <span>
              <input type="radio" name={`${id}-who`} checked={who === 'one'} onChange={() => setWho('one')} /> One account
            </span>
          </label>
          {who === 'one' ? (
            <label>
              Account
              <input value={user} onChange={(e) => setUser(e.target.value)} placeholder="0x…" autoComplete="off" />
            </label>
          ) : null}
        </fieldset>
        <div className="row">
          <label>
            Price per use (nRLC)
            <input inputMode="numeric" value={price} onChange={(e) => setPrice(e.target.value)} />
          </label>
          <label>
            Number of uses
            <input inputMode="numeric" value={uses} onChange={(e) => setUses(e.target.value)} />
          </label>
          <label>
            Ends on (optional)
            <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
          </label>
        </div>
        <div>
          <button type="submit" disabled={busy}>
            {busy ? 'Granting…' : 'Grant'}
          </button>
        </div>
        <Outcome status={status} problem={problem} />
      </form>
    </details>
  );
}

/** Revokes one grant: its dataset order is cancelled on chain, so no further task can use it. */
export function RevokeButton({ setup, grant, app }: { setup: BrowserSetup; grant: string; app: string }) {
  const router = useRouter();
  const { busy, problem, start, run } = useFlow();
  async function revoke() {
    start();
    await run(async () => {
      const [{ confidantFor }, { revokeOneAccess }, { z }] = await Promise.all([import('@/lib/browser/client'), import('@confidant/sdk'), import('zod')]);
      const client = await confidantFor(setup);
      await revokeOneAccess(client, grant as `0x${string}`);
      // Cancelled on chain now; the marketplace shows it once its indexer has seen the block.
      for (let waited = 0; waited < 15_000; waited += 300) {
        const { cancelled } = await client.api.query('orders.get', { hash: grant }, z.object({ cancelled: z.boolean() }));
        if (cancelled) break;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      router.refresh();
    });
  }
  return (
    <>
      <button type="button" className="secondary" onClick={revoke} disabled={busy} aria-label={`Revoke the grant to ${app}`}>
        {busy ? 'Revoking…' : 'Revoke'}
      </button>
      <Problem problem={problem} />
    </>
  );
}

/** The account's marketplace balance (what grants and apps earned) and withdrawing it to the wallet. */
export function Balance({ setup }: { setup: BrowserSetup }) {
  const [balance, setBalance] = useState<{ free: bigint; locked: bigint; wallet: bigint } | undefined>();
  const [amount, setAmount] = useState('');
  const { busy, status, setStatus, problem, setProblem, start, run } = useFlow();

  const load = useCallback(async () => {
    try {
      const [{ confidantFor }, { getEscrowBalance, getRlcBalance }] = await Promise.all([import('@/lib/browser/client'), import('@confidant/contracts')]);
      const client = await confidantFor(setup);
      const [escrow, wallet] = await Promise.all([getEscrowBalance(client.poco, { account: setup.account }), getRlcBalance(client.poco, { account: setup.account })]);
      setBalance({ free: escrow.balance, locked: escrow.frozen, wallet });
    } catch (error) {
      setProblem(problemOf(error));
    }
  }, [setup, setProblem]);
  useEffect(() => {
    void load();
  }, [load]);

  async function withdrawNow(event: FormEvent) {
    event.preventDefault();
    start();
    const value = amount.trim() === '' ? balance?.free : parseNrlc(amount);
    if (value === undefined || value <= 0n) {
      setProblem({ message: 'Nothing to withdraw.', hints: ['Write a whole number of nRLC up to your free balance, or leave it empty for all of it.'] });
      return;
    }
    await run(async () => {
      const [{ confidantFor }, { requireWallet, withdraw }] = await Promise.all([import('@/lib/browser/client'), import('@confidant/contracts')]);
      await withdraw(requireWallet((await confidantFor(setup)).poco, 'withdrawing'), { amount: value });
      setStatus(`Withdrew ${formatPrice(value)} to your wallet.`);
      setAmount('');
      await load();
    });
  }

  return (
    <section aria-labelledby="balance-title" className="panel">
      <h2 id="balance-title">Balance</h2>
      {balance ? (
        <p>
          <strong>{formatPrice(balance.free)}</strong> to withdraw{balance.locked > 0n ? ` · ${formatPrice(balance.locked)} locked in running tasks` : ''} · {formatPrice(balance.wallet)} in your wallet
        </p>
      ) : problem ? null : (
        <p role="status">Reading your balance…</p>
      )}
      <form onSubmit={withdrawNow} className="row">
        <label>
          Amount to withdraw (nRLC; empty: all)
          <input inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </label>
        <button type="submit" disabled={busy || !balance || balance.free === 0n}>
          {busy ? 'Withdrawing…' : 'Withdraw'}
        </button>
      </form>
      <Outcome status={status} problem={problem} />
    </section>
  );
}
