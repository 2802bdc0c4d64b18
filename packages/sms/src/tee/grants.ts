import type { Hex } from 'viem';
import { z } from 'zod';
import { GrantStatusUnavailableError } from './errors.js';

/** What the marketplace says about a dataset order's expiry. */
export type GrantExpiry =
  /** No API is configured: expiry is not enforced. */
  | { enforced: false }
  /** The API does not know the order (it was never published there): it has no expiry. */
  | { enforced: true; published: false }
  | { enforced: true; published: true; expiresAt: Date | null };

export type GrantExpiryChecker = {
  expiryOf(orderHash: Hex): Promise<GrantExpiry>;
};

const TIMEOUT_MS = 5_000;

// tRPC's HTTP answer to a query, with superjson's envelope: { result: { data: { json, meta? } } }.
const answerSchema = z.object({
  result: z.object({ data: z.object({ json: z.object({ expiresAt: z.string().nullable().optional() }) }) }),
});
const notFoundSchema = z.object({ error: z.object({ json: z.object({ data: z.object({ code: z.literal('NOT_FOUND') }) }) }) });

/**
 * Asks the marketplace API (its tRPC `orders.get`) when a dataset order expires. Grants with an
 * expiry are a marketplace feature (the chain has none), so only the API knows it.
 *
 * `apiUrl` is the tRPC base URL, e.g. `http://127.0.0.1:4000/trpc`.
 *
 * @example
 * const grants = createGrantExpiryChecker({ apiUrl: 'http://127.0.0.1:4000/trpc' });
 * const expiry = await grants.expiryOf(datasetOrderHash);
 */
export function createGrantExpiryChecker({ apiUrl, timeoutMs = TIMEOUT_MS }: { apiUrl: string | (() => string | undefined) | undefined; timeoutMs?: number | undefined }): GrantExpiryChecker {
  if (!apiUrl) return { expiryOf: () => Promise.resolve({ enforced: false }) };
  return {
    async expiryOf(orderHash) {
      // A resolver is asked each time: the API may start after the SMS (the devnet starts both at once).
      const url = typeof apiUrl === 'function' ? apiUrl() : apiUrl;
      if (!url) throw new GrantStatusUnavailableError(orderHash, 'the marketplace API is not started yet');
      const base = url.replace(/\/+$/, '');
      // superjson's wire format without superjson: a plain JSON input needs no meta.
      const input = encodeURIComponent(JSON.stringify({ json: { hash: orderHash } }));
      let response: Response;
      let body: unknown;
      try {
        response = await fetch(`${base}/orders.get?input=${input}`, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
      } catch (error) {
        throw new GrantStatusUnavailableError(orderHash, `the marketplace API did not answer (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`, error);
      }
      try {
        body = await response.json();
      } catch (error) {
        throw new GrantStatusUnavailableError(orderHash, `the marketplace API answered HTTP ${response.status} without JSON`, error);
      }
      if (response.status === 404 && notFoundSchema.safeParse(body).success) return { enforced: true, published: false };
      if (!response.ok) throw new GrantStatusUnavailableError(orderHash, `the marketplace API answered HTTP ${response.status}`);
      const parsed = answerSchema.safeParse(body);
      if (!parsed.success) throw new GrantStatusUnavailableError(orderHash, 'the marketplace API answered something that is not an order');
      const text = parsed.data.result.data.json.expiresAt ?? null;
      if (text === null) return { enforced: true, published: true, expiresAt: null };
      const expiresAt = new Date(text);
      if (Number.isNaN(expiresAt.getTime())) throw new GrantStatusUnavailableError(orderHash, `the marketplace API gave an unreadable expiry ("${text.slice(0, 40)}")`);
      return { enforced: true, published: true, expiresAt };
    },
  };
}
