import { NextResponse } from 'next/server';

/**
 * A 303 to a path of this site, as a relative Location: behind a proxy or on 127.0.0.1, Next.js's
 * idea of its own origin (request.url) may differ from the visitor's, and cookies follow the host.
 */
export const seeOther = (path: string): NextResponse => new NextResponse(null, { status: 303, headers: { location: path } });

/** Where to go after signing in: a path of this site only (never `//host` or a URL), else /data. */
export function afterSignIn(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) && next.length <= 500 ? next : '/data';
}
