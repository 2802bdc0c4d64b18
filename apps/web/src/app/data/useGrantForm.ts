// Client-side only: the state and submit logic of the 'use client' GrantForm (./Access).
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { isAddress } from 'viem';
import type { BrowserSetup } from '@/lib/browser/setup';
import { parseNrlc, type ProblemText, useFlow } from '@/lib/browser/ui';

/** Who may run the app under the grant: anyone, or one account. */
export type Who = 'anyone' | 'one';

/** What the grant form holds, as typed. */
type GrantEntries = { app: string; who: Who; user: string; price: string; uses: string; expires: string };

/** A dataset order's terms, as the SDK's grantAccess takes them (without the protected data). */
type GrantTerms = {
  authorizedApp: `0x${string}`;
  authorizedUser?: `0x${string}`;
  pricePerAccess: bigint;
  numberOfAccess: bigint;
  expiresAt?: Date;
};

const wrong = (message: string, hint: string) => ({ problem: { message, hints: [hint] } });

/** The grant the entries describe, or the first thing wrong with them (nothing has started then). */
function checkGrant({ app, who, user, price, uses, expires }: GrantEntries): { problem: ProblemText } | { terms: GrantTerms } {
  const pricePerAccess = parseNrlc(price);
  const numberOfAccess = parseNrlc(uses);
  const expiresAt = expires ? new Date(`${expires}T23:59:59`) : undefined;
  if (!isAddress(app.trim(), { strict: false }))
    return wrong('The app is not an address.', 'Pick an iApp from the list, or paste its 0x… address from its page.');
  if (who === 'one' && !isAddress(user.trim(), { strict: false }))
    return wrong('The user is not an address.', 'Paste the 0x… account of the person who may run the app, or choose "anyone".');
  if (pricePerAccess === undefined)
    return wrong('The price is not a whole number of nRLC.', 'Write 0 for free, or e.g. 1000000000 for 1 RLC per use.');
  if (numberOfAccess === undefined || numberOfAccess < 1n)
    return wrong('The number of uses must be a whole number of at least 1.', 'How many tasks may use the data under this grant.');
  if (expiresAt && expiresAt.getTime() <= Date.now())
    return wrong('The end date is in the past.', 'Pick a later date, or leave it empty for a grant that lasts until you revoke it.');
  return {
    terms: {
      authorizedApp: app.trim() as `0x${string}`,
      ...(who === 'one' ? { authorizedUser: user.trim() as `0x${string}` } : {}),
      pricePerAccess,
      numberOfAccess,
      ...(expiresAt ? { expiresAt } : {}),
    },
  };
}

/**
 * The grant form of one protected data: its entries, its flow (busy, status, problem) and `grant`,
 * which checks the entries, then signs the dataset order in the browser (the SDK loads on first use).
 */
export function useGrantForm(setup: BrowserSetup, dataset: string) {
  const router = useRouter();
  const [app, setApp] = useState('');
  const [who, setWho] = useState<Who>('anyone');
  const [user, setUser] = useState('');
  const [price, setPrice] = useState('0');
  const [uses, setUses] = useState('1');
  const [expires, setExpires] = useState('');
  const { busy, status, setStatus, problem, setProblem, start, run } = useFlow();

  async function grant(event: FormEvent) {
    event.preventDefault();
    start();
    const checked = checkGrant({ app, who, user, price, uses, expires });
    if ('problem' in checked) {
      setProblem(checked.problem);
      return;
    }
    await run(async () => {
      const [{ confidantFor }, { grantAccess }] = await Promise.all([import('@/lib/browser/client'), import('@confidant/sdk')]);
      setStatus('Sign the grant in your wallet if it asks…');
      await grantAccess(await confidantFor(setup), { protectedData: dataset as `0x${string}`, ...checked.terms });
      setStatus('Granted.');
      setApp('');
      router.refresh();
    });
  }

  return { app, setApp, who, setWho, user, setUser, price, setPrice, uses, setUses, expires, setExpires, busy, status, problem, grant };
}

/** What useGrantForm gives the form's parts. */
export type GrantFormState = ReturnType<typeof useGrantForm>;
