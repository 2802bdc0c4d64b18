/**
 * The Content-Security-Policy of every page: scripts only from this origin with this response's
 * nonce (Next.js puts it on its own scripts), no inline event handlers, no plugins, no framing, and
 * connections only to this origin (which proxies the marketplace API) and the network's endpoints
 * the browser signs, encrypts and uploads with. `dev` relaxes script-src for Next's development
 * runtime only.
 */
export function contentSecurityPolicy(
  nonce: string,
  options: { connectTo?: readonly string[] | undefined; development?: boolean } = {},
): string {
  const connect = ["'self'", ...new Set(options.connectTo ?? [])].join(' ');
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A fresh, unguessable nonce (16 random bytes, base64). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** The origins of the network's endpoints a page's scripts may call (chain, SMS, storage). */
export function endpointOrigins(
  endpoints: { rpcUrl: string; smsUrl: string; ipfsApiUrl: string; ipfsGatewayUrl: string } | undefined,
): string[] {
  if (!endpoints) return [];
  return [
    ...new Set([endpoints.rpcUrl, endpoints.smsUrl, endpoints.ipfsApiUrl, endpoints.ipfsGatewayUrl].map((url) => new URL(url).origin)),
  ];
}
