import { ApiRequestError, type ApiClient, type ApiOutputs, createApiClient, NotIndexedError } from '@confidant/sdk';
import { BaseError } from '@confidant/errors';
import type { Hex } from 'viem';
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

/** What the SMS reads of the API's `orders.get`: typed by the API's router, so a renamed field breaks the build. */
export type ApiOrderExpiry = Pick<ApiOutputs['orders']['get'], 'expiresAt'>;

/** The expiry of an `orders.get` answer, refused unless it is a date or null. */
function expiryOfAnswer(orderHash: Hex, answer: ApiOrderExpiry | undefined): GrantExpiry {
  // The type says so; a misbehaving API must not turn into "no expiry" all the same.
  const expiresAt: unknown = answer && typeof answer === 'object' ? answer.expiresAt : undefined;
  if (expiresAt === null) return { enforced: true, published: true, expiresAt: null };
  if (!(expiresAt instanceof Date))
    throw new GrantStatusUnavailableError(orderHash, 'the marketplace API answered something that is not an order');
  if (Number.isNaN(expiresAt.getTime())) throw new GrantStatusUnavailableError(orderHash, 'the marketplace API gave an unreadable expiry');
  return { enforced: true, published: true, expiresAt };
}

/** A failed `orders.get` as the SMS's refusal, or "not published" when the API says it does not know the order. */
function failureOf(orderHash: Hex, error: unknown): GrantExpiry {
  // Only the API's own "not indexed" means no expiry: any other 404 (a wrong URL, a proxy) must not release keys.
  if (error instanceof NotIndexedError) return { enforced: true, published: false };
  const request = error instanceof BaseError ? (error.walk((e) => e instanceof ApiRequestError) as ApiRequestError | undefined) : undefined;
  if (!request) throw new GrantStatusUnavailableError(orderHash, 'the marketplace API could not be asked', error);
  switch (request.reason) {
    case 'unreachable':
      throw new GrantStatusUnavailableError(orderHash, `the marketplace API did not answer (${firstLine(request.cause)})`, error);
    case 'not-json':
      throw new GrantStatusUnavailableError(orderHash, `the marketplace API answered HTTP ${request.httpStatus} without JSON`, error);
    case 'malformed':
      if (request.httpStatus !== undefined && request.httpStatus < 400)
        throw new GrantStatusUnavailableError(orderHash, 'the marketplace API answered something that is not an order', error);
      throw new GrantStatusUnavailableError(orderHash, `the marketplace API answered HTTP ${request.httpStatus}`, error);
    case 'refused':
      throw new GrantStatusUnavailableError(orderHash, `the marketplace API answered HTTP ${request.httpStatus ?? 'with an error'}`, error);
  }
}

const firstLine = (error: unknown) => {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? (cause.message.split('\n')[0] ?? '') : String(cause);
};

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
export function createGrantExpiryChecker({
  apiUrl,
  timeoutMs = TIMEOUT_MS,
}: {
  apiUrl: string | (() => string | undefined) | undefined;
  timeoutMs?: number | undefined;
}): GrantExpiryChecker {
  if (!apiUrl) return { expiryOf: () => Promise.resolve({ enforced: false }) };
  const clients = new Map<string, ApiClient>();
  return {
    async expiryOf(orderHash) {
      // A resolver is asked each time: the API may start after the SMS (the devnet starts both at once).
      const url = typeof apiUrl === 'function' ? apiUrl() : apiUrl;
      if (!url) throw new GrantStatusUnavailableError(orderHash, 'the marketplace API is not started yet');
      const base = url.replace(/\/+$/, '');
      let api = clients.get(base);
      if (!api) clients.set(base, (api = createApiClient(base, undefined, { timeoutMs })));
      const answer = await api.orders.get.query({ hash: orderHash }).then(
        (order) => ({ order }),
        (error: unknown) => ({ failure: failureOf(orderHash, error) }),
      );
      return 'failure' in answer ? answer.failure : expiryOfAnswer(orderHash, answer.order);
    },
  };
}
