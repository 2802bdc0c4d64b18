import { seeOther } from '@/lib/redirect';
import { apiForVisitor, SESSION_COOKIE } from '@/lib/session';

/** Ends the session at the API and forgets the cookie. */
export async function POST() {
  const { api, token } = await apiForVisitor();
  if (token) await api.auth.signOut.mutate().catch(() => undefined);
  const response = seeOther('/');
  response.cookies.delete(SESSION_COOKIE);
  return response;
}
