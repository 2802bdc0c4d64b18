import type { IncomingMessage, ServerResponse } from 'node:http';

/** Public read procedures whose answers are the same for everyone, so they may be shared. */
const cacheableProcedures = new Set([
  'apps.list',
  'apps.get',
  'apps.versions',
  'apps.stats',
  'protectedData.list',
  'protectedData.get',
  'orders.list',
  'grants.list',
  'tasks.list',
  'tasks.get',
  'stats.overview',
]);

const MARKET_LISTS = /^\/(app|dataset|workerpool|request)orders$/;

type Entry = { status: number; headers: Record<string, string>; body: Buffer; expires: number };

export type ResponseCache = {
  /** Serves the request from the cache, or runs `handle` and caches what it answered. */
  serve(req: IncomingMessage, res: ServerResponse, handle: (req: IncomingMessage, res: ServerResponse) => void): void;
  /**
   * Drops every shared answer, and keeps what is being computed now from being shared: after a
   * write through this server, its writer (and everyone) reads it at once.
   */
  forget(): void;
};

/**
 * A micro-cache for the public catalogue and orderbook reads: identical GET requests within `ttlMs`
 * share one answer, identical requests in flight share one computation, and while an expired
 * answer is being recomputed the others still get it. A popular page then
 * costs one database query per `ttlMs` instead of one per visitor; answers are at most `ttlMs`
 * older than the index (which itself follows the chain every few hundred ms). Requests that carry
 * a session, ask for live chain reads or batch several procedures are never cached.
 *
 * @example
 * const cache = createResponseCache({ ttlMs: 1000 });
 * http.createServer((req, res) => cache.serve(req, res, trpcHandler));
 */
export function createResponseCache({ ttlMs, maxEntries = 5_000 }: { ttlMs: number; maxEntries?: number }): ResponseCache {
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, ((entry: Entry | undefined) => void)[]>();
  // Keys carry the generation: answers computed before a write are never shared after it.
  let generation = 0;

  const send = (res: ServerResponse, entry: Entry) => {
    res.writeHead(entry.status, { ...entry.headers, 'x-cache': 'hit' }).end(entry.body);
  };

  return {
    forget() {
      generation += 1;
      entries.clear();
    },
    serve(req, res, handle) {
      const shared = cacheKey(req, ttlMs);
      if (!shared) return handle(req, res);
      const started = generation;
      const key = `${started}|${shared}`;
      const now = Date.now();
      const cached = entries.get(key);
      if (cached && cached.expires > now) return send(res, cached);
      const waiting = inFlight.get(key);
      if (waiting) {
        // While one request refreshes an expired answer, the others get the previous one at once.
        if (cached) return send(res, cached);
        waiting.push((entry) => (entry ? send(res, entry) : handle(req, res)));
        return;
      }
      inFlight.set(key, []);
      // Record what the handler writes, then share it with everyone who waited.
      const chunks: Buffer[] = [];
      keepWrittenHeaders(res);
      const write = res.write.bind(res);
      const end = res.end.bind(res);
      res.write = ((chunk: unknown, ...rest: unknown[]) => {
        if (chunk) chunks.push(Buffer.from(chunk as Buffer));
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof res.write;
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as Buffer));
        const result = (end as (...a: unknown[]) => ServerResponse)(chunk, ...rest);
        let entry: Entry | undefined;
        if (res.statusCode === 200 && generation === started) {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.getHeaders())) {
            if (name !== 'set-cookie' && value !== undefined) headers[name] = String(value);
          }
          entry = { status: 200, headers, body: Buffer.concat(chunks), expires: Date.now() + ttlMs };
          if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
          entries.set(key, entry);
        }
        const waiters = inFlight.get(key) ?? [];
        inFlight.delete(key);
        for (const waiter of waiters) waiter(entry);
        return result;
      }) as typeof res.end;
      handle(req, res);
    },
  };
}

/**
 * Makes the headers a handler passes to `writeHead` visible in `getHeaders()` (where the cache
 * copies them from): Node keeps them there only when some header was set with `setHeader` before.
 */
function keepWrittenHeaders(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    const headers = rest.find((arg) => typeof arg === 'object' && arg !== null && !Array.isArray(arg)) as
      | Record<string, number | string | string[] | undefined>
      | undefined;
    for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) res.setHeader(name, value);
    return writeHead(status, ...rest.filter((arg) => typeof arg === 'string'));
  }) as typeof res.writeHead;
}

function cacheKey(req: IncomingMessage, ttlMs: number): string | undefined {
  if (ttlMs <= 0 || req.method !== 'GET' || !req.url) return undefined;
  if (req.headers.cookie?.includes('confidant_session=') || req.headers.authorization) return undefined;
  const url = new URL(req.url, 'http://api');
  // The market API door's orderbook lists are public reads too (challenges and writes never are).
  if (MARKET_LISTS.test(url.pathname)) return `market:${url.pathname}${url.search}`;
  const procedure = url.pathname.replace(/^\/trpc\//, '');
  if (!cacheableProcedures.has(procedure) || url.searchParams.has('batch')) return undefined;
  if (/"live":true/.test(url.searchParams.get('input') ?? '')) return undefined;
  return `${procedure}?${url.searchParams.get('input') ?? ''}`;
}
