import { BaseError } from '@confidant/errors';
import { z } from 'zod';

// The mirror's side of an upstream market API (iExec's, or another Confidant API's market door):
// one page of a list, validated, and the typed errors of reading it.

/**
 * The upstream market API could not be read. `unavailable`: down, too slow, a 5xx or an answer that
 * is not JSON (the round stops, and the next one retries); `internal`: it refused the query or its
 * answer is not a list (that subject is skipped this round).
 */
export class UpstreamMarketError extends BaseError {
  override name = 'UpstreamMarketError';
  declare readonly fields: { upstream: string; path: string; reason: string };
  constructor(upstream: string, path: string, reason: string, options: { kind: 'unavailable' | 'internal'; cause?: unknown }) {
    super(`the upstream market API ${upstream} failed on ${path}: ${reason}`, {
      hints: ['Check that the upstream market API answers (CONFIDANT_MARKET_MIRROR_URL); the mirror retries on its next round.'],
      kind: options.kind,
      fields: { upstream, path, reason },
      cause: options.cause,
    });
  }
}

/**
 * An order served by the upstream market API that the orderbook refuses (its hash, signature, tag or
 * fields do not check out): it is not mirrored. `cause` is the orderbook's own refusal when there is one.
 */
export class MirroredOrderRefusedError extends BaseError {
  override name = 'MirroredOrderRefusedError';
  declare readonly fields: { upstream: string; kind: string; orderHash: string; reason: string };
  constructor(upstream: string, kind: string, orderHash: string, reason: string, cause?: unknown) {
    super(`the ${kind} order ${orderHash} served by the upstream market API ${upstream} is not mirrored: ${reason}`, {
      hints: ['Nothing to do here: an upstream can withhold orders but not plant one. Check the upstream if this repeats.'],
      kind: 'forbidden',
      fields: { upstream, kind, orderHash, reason },
      cause,
    });
  }
}

/** One list item: only what the mirror uses (the order is checked in full by the orderbook's schema). */
export const upstreamItemSchema = z.object({
  orderHash: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, 'expected a bytes32')
    .transform((value) => value.toLowerCase()),
  order: z.record(z.string(), z.unknown()),
});

/** A list answer of iExec's market API (`{ ok, orders, count, nextPage? }`); items are checked one by one. */
const pageSchema = z.object({
  ok: z.literal(true),
  orders: z.array(z.unknown()).max(1000),
  count: z.number().int().min(0),
  nextPage: z.number().int().positive().optional(),
});
export type UpstreamPage = z.output<typeof pageSchema>;

const REQUEST_TIMEOUT_MS = 15_000;

/** `path` under the upstream's URL, keeping a path prefix the URL may have (`https://host/market/`). */
function upstreamUrlOf(upstream: string, path: string, query: Record<string, string | number>): URL {
  const url = new URL(path.replace(/^\//, ''), upstream.endsWith('/') ? upstream : `${upstream}/`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
  return url;
}

async function jsonOf(response: Response, fail: (reason: string, kind: 'unavailable' | 'internal', cause?: unknown) => never) {
  if (response.status >= 500) fail(`answered HTTP ${response.status}`, 'unavailable');
  if (!/application\/json/i.test(response.headers.get('content-type') ?? '')) fail('answered something that is not JSON', 'unavailable');
  const body: unknown = await response.json().catch((cause: unknown) => fail('answered invalid JSON', 'unavailable', cause));
  if (!response.ok) {
    const message = (body as { error?: unknown } | null)?.error;
    fail(`refused the query (HTTP ${response.status}${typeof message === 'string' ? `: ${message.slice(0, 200)}` : ''})`, 'internal');
  }
  return body;
}

/**
 * One page of an upstream list (`GET /<kind>orders?…`), as iExec's SDK asks it.
 *
 * @example
 * const page = await fetchUpstreamPage(fetch, 'https://api-market.arbitrum-sepolia-testnet.iex.ec', '/apporders', { chainId, app, pageIndex: 0, pageSize: 1000 });
 */
export async function fetchUpstreamPage(
  fetchFn: typeof fetch,
  upstream: string,
  path: string,
  query: Record<string, string | number>,
): Promise<UpstreamPage> {
  const fail = (reason: string, kind: 'unavailable' | 'internal', cause?: unknown): never => {
    throw new UpstreamMarketError(upstream, path, reason, { kind, cause });
  };
  let response: Response;
  try {
    response = await fetchFn(upstreamUrlOf(upstream, path, query), {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (cause) {
    const code = (cause as { cause?: { code?: unknown } } | undefined)?.cause?.code;
    const reason = cause instanceof Error ? `${cause.message}${typeof code === 'string' ? `: ${code}` : ''}` : String(cause);
    return fail(`is unreachable (${reason})`, 'unavailable', cause);
  }
  const parsed = pageSchema.safeParse(await jsonOf(response, fail));
  if (!parsed.success)
    fail(`answered something that is not a list of orders (${parsed.error.issues[0]?.message ?? 'invalid'})`, 'internal');
  return parsed.data as UpstreamPage;
}
