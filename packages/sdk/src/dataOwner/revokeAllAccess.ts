import type { Address } from 'viem';
import type { ConfidantClient } from '../client.js';
import { getGrantedAccess } from './getGrantedAccess.js';
import { revokeOneAccess, type RevokeOneAccessReturnType } from './revokeOneAccess.js';

export type RevokeAllAccessParameters = {
  protectedData: Address;
  /** Only the grants to this app. */
  authorizedApp?: Address | undefined;
  /** Only the grants to this user. */
  authorizedUser?: Address | undefined;
  onStatusUpdate?:
    | ((status: { title: 'RETRIEVE_ALL_GRANTED_ACCESS' | 'REVOKE_ONE_ACCESS'; isDone: boolean; payload?: Record<string, string> }) => void)
    | undefined;
};

/**
 * Revokes every open grant of a protected data (or those to one app or user), one cancellation each.
 *
 * @example
 * const revoked = await revokeAllAccess(confidant, { protectedData });
 */
export async function revokeAllAccess(
  client: ConfidantClient,
  parameters: RevokeAllAccessParameters,
): Promise<RevokeOneAccessReturnType[]> {
  parameters.onStatusUpdate?.({ title: 'RETRIEVE_ALL_GRANTED_ACCESS', isDone: false });
  const grants: Awaited<ReturnType<typeof getGrantedAccess>> = [];
  for (let cursor: number | undefined = 0; ; ) {
    const page = await getGrantedAccess(client, {
      protectedData: parameters.protectedData,
      authorizedApp: parameters.authorizedApp,
      authorizedUser: parameters.authorizedUser,
      limit: 100,
      cursor,
    });
    grants.push(...page);
    if (page.length < 100) break;
    cursor = (cursor ?? 0) + 100;
  }
  parameters.onStatusUpdate?.({ title: 'RETRIEVE_ALL_GRANTED_ACCESS', isDone: true, payload: { count: String(grants.length) } });
  const revoked: RevokeOneAccessReturnType[] = [];
  for (const grant of grants) {
    parameters.onStatusUpdate?.({ title: 'REVOKE_ONE_ACCESS', isDone: false, payload: { hash: grant.hash } });
    revoked.push(await revokeOneAccess(client, grant));
    parameters.onStatusUpdate?.({ title: 'REVOKE_ONE_ACCESS', isDone: true, payload: { hash: grant.hash } });
  }
  return revoked;
}
