import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PocoClient } from '@confidant/contracts';
import { type Database, sessions } from '@confidant/db';
import { and, eq, gt } from 'drizzle-orm';
import type { Address } from 'viem';

export const SESSION_COOKIE = 'confidant_session';

/** What every request can use: the database, the chain, and the sign-in settings. */
export type ApiServices = {
  db: Database;
  /** A read-only PoCo client of the network the marketplace serves. */
  poco: PocoClient;
  /** Hosts a SIWE message may name. */
  siweDomains: readonly string[];
  secureCookies: boolean;
  sessionTtlSeconds: number;
  nonceTtlSeconds: number;
};

export type Session = { address: Address };

export type Context = ApiServices & {
  /** The signed-in account, looked up once on first use. */
  session(): Promise<Session | null>;
  /** The raw session token this request carried (to sign it out). */
  sessionToken: string | undefined;
  setCookie(cookie: string): void;
};

export const hashToken = (token: string) => `0x${createHash('sha256').update(token).digest('hex')}`;

/** Reads the session token from the cookie or an `Authorization: Bearer` header (scripts, CLI). */
export function readSessionToken(headers: IncomingMessage['headers']): string | undefined {
  const bearer = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(headers.authorization ?? '')?.[1];
  if (bearer) return bearer;
  for (const part of (headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}

/**
 * The context of one request: the services plus its session and a way to set cookies.
 *
 * @example
 * createHTTPHandler({ router: appRouter, createContext: ({ req, res }) => createContext(services, req, res) });
 */
export function createContext(services: ApiServices, req: IncomingMessage | undefined, res: ServerResponse | undefined): Context {
  const token = req ? readSessionToken(req.headers) : undefined;
  let session: Promise<Session | null> | undefined;
  return {
    ...services,
    sessionToken: token,
    session() {
      session ??= token
        ? services.db
            .select({ address: sessions.address })
            .from(sessions)
            .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, new Date())))
            .limit(1)
            .then(([row]) => (row ? { address: row.address as Address } : null))
        : Promise.resolve(null);
      return session;
    },
    setCookie(cookie) {
      if (!res) return;
      const previous = res.getHeader('set-cookie');
      res.setHeader('set-cookie', [...(Array.isArray(previous) ? previous : previous ? [String(previous)] : []), cookie]);
    },
  };
}
