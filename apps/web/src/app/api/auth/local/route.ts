import type { NextRequest } from 'next/server';
import { afterSignIn, seeOther } from '@/lib/redirect';
import { sessionCookie } from '@/lib/session';
import { LOCAL_ACCOUNTS, localAccount, localSignInAllowed, signInMessageFor, verifySignIn } from '@/lib/signin';

/** The local network's account picker (a plain form post): signs in as a named devnet account. */
export async function POST(request: NextRequest) {
  const back = seeOther;
  if (!localSignInAllowed()) return back('/signin?error=local');
  const form = await request.formData();
  const role = form.get('role');
  const known = LOCAL_ACCOUNTS.find((r) => r === role);
  if (!known) return back('/signin?error=role');
  try {
    const account = await localAccount(known);
    const message = await signInMessageFor(account.address);
    const session = await verifySignIn(message, await account.signMessage({ message }));
    const response = back(afterSignIn(form.get('next')));
    response.cookies.set(sessionCookie(session.token, session.expiresAt, request.nextUrl.protocol === 'https:'));
    return response;
  } catch {
    return back('/signin?error=api');
  }
}
