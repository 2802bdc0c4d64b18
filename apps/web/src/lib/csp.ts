/**
 * The Content-Security-Policy of every page: scripts only from this origin with this response's
 * nonce (Next.js puts it on its own scripts), no inline event handlers, no plugins, no framing, and
 * connections only to this origin and the marketplace API. `dev` relaxes script-src for Next's
 * development runtime only.
 */
export function contentSecurityPolicy(nonce: string, options: { apiOrigin?: string | undefined; development?: boolean } = {}): string {
  const connect = ["'self'", options.apiOrigin].filter(Boolean).join(' ');
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
