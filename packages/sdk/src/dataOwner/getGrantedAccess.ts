import type { Address } from 'viem';
import type { ConfidantClient } from '../client.js';
import type { MarketOrder } from '../internal/market.js';
import { liveRemaining } from '../internal/orderbook.js';
import { type GrantedAccess, marketToGrantedAccess, toGrantedAccess } from '../internal/shapes.js';
import { addressArgument } from '../internal/validate.js';

export type GetGrantedAccessParameters = {
  protectedData?: Address | undefined;
  /** Every grant of every protected data of this owner. */
  owner?: Address | undefined;
  authorizedApp?: Address | undefined;
  authorizedUser?: Address | undefined;
  /** Also revoked and used-up grants (expired ones are never served). */
  includeRevoked?: boolean | undefined;
  limit?: number | undefined;
  cursor?: number | undefined;
};

const optional = (name: string, value: Address | undefined) => (value === undefined ? undefined : addressArgument(name, value));

/**
 * The grants of a protected data (or of an owner, an app, a user), newest first, with the uses left
 * read from the chain at this moment — a revocation shows at once.
 *
 * Open grants of a protected data or of an owner come from iExec's market API (`GET /datasetorders`,
 * as `@iexec/dataprotector` reads them), which has no expiry field (`expiresAt: null`; an expired grant
 * is never listed). The market API lists open orders only and needs a protected data or an owner: with
 * `includeRevoked`, or by app or user alone, the grants come from Confidant's API (`grants.list`).
 *
 * @example
 * const grants = await getGrantedAccess(confidant, { protectedData });
 */
export async function getGrantedAccess(client: ConfidantClient, parameters: GetGrantedAccessParameters = {}): Promise<GrantedAccess[]> {
  const dataset = optional('protectedData', parameters.protectedData);
  const owner = optional('owner', parameters.owner);
  if (parameters.includeRevoked || (dataset === undefined && owner === undefined)) return grantsFromApi(client, parameters);
  const items = await marketSlice(
    client,
    {
      dataset,
      datasetOwner: owner,
      app: optional('authorizedApp', parameters.authorizedApp) ?? 'any',
      requester: optional('authorizedUser', parameters.authorizedUser) ?? 'any',
      workerpool: 'any',
    },
    parameters.cursor ?? 0,
    parameters.limit ?? 100,
  );
  const grants = await Promise.all(
    items.map(async (item) => marketToGrantedAccess(item, await liveRemaining(client, item.orderHash, item.order.volume))),
  );
  // The orderbook may not have seen a deal or a cancellation yet; the chain has.
  return grants.filter((grant) => grant.remainingAccess > 0n).sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
}

/** `limit` open dataset orders from the `offset`-th on, in pages of the market API (at least 10 each). */
async function marketSlice(
  client: ConfidantClient,
  query: Record<string, string | undefined>,
  offset: number,
  limit: number,
): Promise<MarketOrder<'dataset'>[]> {
  const pageSize = Math.min(Math.max(limit, 10), 1000);
  const items: MarketOrder<'dataset'>[] = [];
  for (let pageIndex = Math.floor(offset / pageSize); ; pageIndex++) {
    const page = await client.market.list('dataset', { ...query, pageIndex, pageSize });
    items.push(...page.orders);
    if (!page.nextPage || (pageIndex + 1) * pageSize >= offset + limit) break;
  }
  const start = offset % pageSize;
  return items.slice(start, start + limit);
}

/** Grants from Confidant's API: also closed ones, and by app or user across owners. */
async function grantsFromApi(client: ConfidantClient, parameters: GetGrantedAccessParameters): Promise<GrantedAccess[]> {
  const page = await client.api.grants.list.query({
    dataset: optional('protectedData', parameters.protectedData),
    owner: optional('owner', parameters.owner),
    app: optional('authorizedApp', parameters.authorizedApp),
    requester: optional('authorizedUser', parameters.authorizedUser),
    includeClosed: parameters.includeRevoked ?? false,
    live: true,
    limit: parameters.limit ?? 100,
    cursor: parameters.cursor,
  });
  const grants = page.items.map(toGrantedAccess);
  // The index may not have seen a cancellation yet; the live uses left have.
  return parameters.includeRevoked ? grants : grants.filter((grant) => grant.remainingAccess > 0n);
}
