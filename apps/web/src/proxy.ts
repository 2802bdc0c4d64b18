import { type NextRequest, NextResponse } from 'next/server';
import { contentSecurityPolicy, endpointOrigins, newNonce } from './lib/csp';
import { isDevelopment, webEnv } from './lib/env';

// The endpoints' origins, worked out once per set of endpoints rather than on every request.
let connect: { endpoints: ReturnType<typeof webEnv>['endpoints']; origins: string[] } | undefined;

/** Every page gets its own nonce and a strict Content-Security-Policy (Next.js reads the request's copy). */
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const { endpoints } = webEnv();
  const kept = connect;
  const origins = kept && kept.endpoints === endpoints ? kept.origins : endpointOrigins(endpoints);
  connect = { endpoints, origins };
  const policy = contentSecurityPolicy(nonce, { connectTo: origins, development: isDevelopment() });
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'no-referrer');
  return response;
}

export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico).*)' }],
};
