import { type ApiClient, createApiClient } from '@confidant/sdk';
import { cookies } from 'next/headers';
import { cache } from 'react';
import { webEnv } from './env';

/** The web app's own session cookie: the API's session token, HttpOnly, never readable by scripts. */
export const SESSION_COOKIE = 'confidant_session';

/** An API client carrying this visitor's session token (when signed in). */
export async function apiForVisitor(): Promise<{ api: ApiClient; token: string | undefined }> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const api = createApiClient(webEnv().apiUrl);
  if (token) api.setToken(token);
  return { api, token };
}

/**
 * The signed-in account, or null (no cookie, or a session the API no longer knows). Asked of the
 * API once per request, however many components of the page need it.
 */
export const currentAccount = cache(async (): Promise<`0x${string}` | null> => {
  const { api, token } = await apiForVisitor();
  if (!token) return null;
  const session = await api.auth.session.query().catch(() => null);
  return session?.address ?? null;
});

export function sessionCookie(token: string, expiresAt: Date, secure: boolean) {
  return { name: SESSION_COOKIE, value: token, httpOnly: true, sameSite: 'lax' as const, path: '/', secure, expires: expiresAt };
}
