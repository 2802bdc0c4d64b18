import { cookies } from 'next/headers';
import { webEnv } from '@/lib/env';
import { fromOtherSite, relay } from '@/lib/proxy';
import { SESSION_COOKIE } from '@/lib/session';

/** tRPC's error envelope, so the SDK in the page reports the reason and what to do. */
function refusal(status: number, code: string, message: string, hint: string) {
  return Response.json(
    { error: { message, code: -32600, data: { code, httpStatus: status, hints: [hint] } } },
    { status, headers: { 'cache-control': 'no-store' } },
  );
}

/**
 * The marketplace API, same-origin, for the SDK running in the page: it carries the visitor's
 * session from the HttpOnly cookie (scripts never see the token) and takes calls from this origin
 * only. Signing in and out go through /api/auth, never through here.
 */
async function forward(request: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const procedure = (await params).path.join('/');
  if (!/^[A-Za-z][A-Za-z0-9]*\.[A-Za-z][A-Za-z0-9]*$/.test(procedure))
    return refusal(404, 'NOT_FOUND', `no API procedure "${procedure.slice(0, 80)}"`, 'Call one procedure per request, e.g. apps.list.');
  if (procedure.startsWith('auth.'))
    return refusal(404, 'NOT_FOUND', `${procedure} is not served here`, 'Sign in and out on the sign-in page.');
  if (fromOtherSite(request)) {
    return refusal(
      403,
      'FORBIDDEN',
      'calls from other sites are refused',
      'Use the marketplace API directly, with your own session token.',
    );
  }
  const search = new URL(request.url).search;
  const headers: Record<string, string> = { 'content-type': request.headers.get('content-type') ?? 'application/json' };
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (token) headers['authorization'] = `Bearer ${token}`;
  const answer = await relay(request, `${webEnv().apiUrl.replace(/\/+$/, '')}/${procedure}${search}`, headers);
  return (
    answer ??
    refusal(
      502,
      'INTERNAL_SERVER_ERROR',
      'the marketplace API could not be reached',
      'Try again in a moment; if it persists, the API server is down (`npm start` starts it locally).',
    )
  );
}

export { forward as GET, forward as POST };
