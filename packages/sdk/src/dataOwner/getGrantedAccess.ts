import type { Address } from 'viem';
import type { ConfidantClient } from '../client.js';
import { type GrantedAccess, toGrantedAccess } from '../internal/shapes.js';
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

/**
 * The grants of a protected data (or of an owner, an app, a user), newest first, with the uses left
 * read from the chain at this moment — a revocation shows at once.
 *
 * @example
 * const grants = await getGrantedAccess(confidant, { protectedData });
 */
export async function getGrantedAccess(client: ConfidantClient, parameters: GetGrantedAccessParameters = {}): Promise<GrantedAccess[]> {
  const optional = (name: string, value: Address | undefined) => (value === undefined ? undefined : addressArgument(name, value));
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
