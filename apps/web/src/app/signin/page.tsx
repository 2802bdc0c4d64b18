import type { Metadata } from 'next';
import { webEnv } from '@/lib/env';
import { afterSignIn } from '@/lib/redirect';
import { currentAccount } from '@/lib/session';
import { LOCAL_ACCOUNTS, localAccount, localSignInAllowed } from '@/lib/signin';
import { InjectedWallet } from './InjectedWallet';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

const ERRORS: Record<string, string> = {
  local: 'Local accounts exist on the local network only. Use your wallet.',
  role: 'Pick one of the accounts listed.',
  api: 'The marketplace API did not answer. Check that the local network is running (`confidant dev`), then try again.',
};

const ROLE_NAMES = { publisher: 'Publisher', dataOwner: 'Data owner', requester: 'Requester' } as const;

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const error = params['error'];
  const next = afterSignIn(params['next']);
  const account = await currentAccount();
  const local = localSignInAllowed();
  const accounts = local
    ? await Promise.all(LOCAL_ACCOUNTS.map(async (role) => ({ role, address: (await localAccount(role)).address })))
    : [];
  return (
    <>
      <h1>Sign in</h1>
      {account ? (
        <p className="notice">
          You are signed in as <code>{account}</code>.
        </p>
      ) : null}
      {typeof error === 'string' && ERRORS[error] ? (
        <p className="notice error" role="alert">
          {ERRORS[error]}
        </p>
      ) : null}
      <p>
        Signing in proves you hold an Ethereum account (Sign-In with Ethereum): you sign a message, nothing is sent on chain and no key
        leaves your wallet.
      </p>
      <InjectedWallet next={next} />
      {local ? (
        <section aria-labelledby="local">
          <h2 id="local">Local network accounts</h2>
          <p>
            The {webEnv().network} network&apos;s accounts come from a public test mnemonic: anyone can use them, so they never hold
            anything of value. Pick one to try the marketplace without a wallet.
          </p>
          <ul className="accounts">
            {accounts.map(({ role, address }) => (
              <li key={role}>
                <form method="post" action="/api/auth/local">
                  <input type="hidden" name="role" value={role} />
                  <input type="hidden" name="next" value={next} />
                  <button type="submit">Sign in as {ROLE_NAMES[role]}</button> <code>{address}</code>
                </form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
