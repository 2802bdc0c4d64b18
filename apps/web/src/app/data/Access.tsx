'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import type { BrowserSetup } from '@/lib/browser/setup';
import { Outcome, parseNrlc, Problem, problemOf, useFlow } from '@/lib/browser/ui';
import { formatPrice } from '@/lib/format';
import { type GrantFormState, useGrantForm } from './useGrantForm';

/** Grant an app (and optionally one user) access to one protected data: a dataset order signed here. */
export function GrantForm({ setup, dataset, apps }: { setup: BrowserSetup; dataset: string; apps: { address: string; title: string }[] }) {
  const id = useId();
  const form = useGrantForm(setup, dataset);
  return (
    <details>
      <summary>Grant access</summary>
      <form className="panel" onSubmit={form.grant} aria-label={`Grant access to ${dataset}`}>
        <label>
          App
          <input
            list={`${id}-apps`}
            value={form.app}
            onChange={(e) => form.setApp(e.target.value)}
            placeholder="0x… address of the iApp"
            autoComplete="off"
          />
        </label>
        <datalist id={`${id}-apps`}>
          {apps.map((a) => (
            <option key={a.address} value={a.address}>
              {a.title}
            </option>
          ))}
        </datalist>
        <WhoMayRun id={id} form={form} />
        <GrantLimits form={form} />
        <div>
          <button type="submit" disabled={form.busy}>
            {form.busy ? 'Granting…' : 'Grant'}
          </button>
        </div>
        <Outcome status={form.status} problem={form.problem} />
      </form>
    </details>
  );
}

/** The grant form's choice of who may run the app: anyone, or one account. */
function WhoMayRun({ id, form }: { id: string; form: GrantFormState }) {
  return (
    <fieldset className="row">
      <legend>Who may run it</legend>
      <label>
        <span>
          <input type="radio" name={`${id}-who`} checked={form.who === 'anyone'} onChange={() => form.setWho('anyone')} /> Anyone
        </span>
      </label>
      <label>
        <span>
          <input type="radio" name={`${id}-who`} checked={form.who === 'one'} onChange={() => form.setWho('one')} /> One account
        </span>
      </label>
      {form.who === 'one' ? (
        <label>
          Account
          <input value={form.user} onChange={(e) => form.setUser(e.target.value)} placeholder="0x…" autoComplete="off" />
        </label>
      ) : null}
    </fieldset>
  );
}

/** The grant form's price, number of uses and end date. */
function GrantLimits({ form }: { form: GrantFormState }) {
  return (
    <div className="row">
      <label>
        Price per use (nRLC)
        <input inputMode="numeric" value={form.price} onChange={(e) => form.setPrice(e.target.value)} />
      </label>
      <label>
        Number of uses
        <input inputMode="numeric" value={form.uses} onChange={(e) => form.setUses(e.target.value)} />
      </label>
      <label>
        Ends on (optional)
        <input type="date" value={form.expires} onChange={(e) => form.setExpires(e.target.value)} />
      </label>
    </div>
  );
}

/** Revokes one grant: its dataset order is cancelled on chain, so no further task can use it. */
export function RevokeButton({ setup, grant, app }: { setup: BrowserSetup; grant: string; app: string }) {
  const router = useRouter();
  const { busy, problem, start, run } = useFlow();
  async function revoke() {
    start();
    await run(async () => {
      const [{ confidantFor }, { revokeOneAccess }] = await Promise.all([import('@/lib/browser/client'), import('@confidant/sdk')]);
      const client = await confidantFor(setup);
      await revokeOneAccess(client, grant as `0x${string}`);
      // Cancelled on chain now; the marketplace shows it once its indexer has seen the block.
      for (let waited = 0; waited < 15_000; waited += 300) {
        const { cancelled } = await client.api.orders.get.query({ hash: grant });
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
      const [{ confidantFor }, { getEscrowBalance, getRlcBalance }] = await Promise.all([
        import('@/lib/browser/client'),
        import('@confidant/contracts'),
      ]);
      const client = await confidantFor(setup);
      const [escrow, wallet] = await Promise.all([
        getEscrowBalance(client.poco, { account: setup.account }),
        getRlcBalance(client.poco, { account: setup.account }),
      ]);
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
      setProblem({
        message: 'Nothing to withdraw.',
        hints: ['Write a whole number of nRLC up to your free balance, or leave it empty for all of it.'],
      });
      return;
    }
    await run(async () => {
      const [{ confidantFor }, { requireWallet, withdraw }] = await Promise.all([
        import('@/lib/browser/client'),
        import('@confidant/contracts'),
      ]);
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
          <strong>{formatPrice(balance.free)}</strong> to withdraw
          {balance.locked > 0n ? ` · ${formatPrice(balance.locked)} locked in running tasks` : ''} · {formatPrice(balance.wallet)} in your
          wallet
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
