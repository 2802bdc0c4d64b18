import { cancelOrder, getAssetOwner, NotAssetOwnerError } from '@confidant/contracts';
import { type Hash, type Hex, isAddressEqual } from 'viem';
import { type ConfidantClient, signerOf } from '../client.js';
import { InvalidArgumentError, MarketApiError } from '../errors.js';
import { type GrantedAccess, marketToGrantedAccess } from '../internal/shapes.js';

export type RevokeOneAccessReturnType = { access: GrantedAccess; transactionHash: Hash };

/**
 * Revokes one grant — given as returned by `getGrantedAccess`, or by its hash (read from iExec's
 * market API, `GET /datasetorders/<hash>`) — by cancelling its dataset order on chain: no further
 * task can use it, whatever the orderbook says.
 *
 * @example
 * await revokeOneAccess(confidant, grants[0]);
 */
export async function revokeOneAccess(client: ConfidantClient, access: GrantedAccess | Hex): Promise<RevokeOneAccessReturnType> {
  const { wallet, address: me } = signerOf(client, 'revoking access');
  let grant: GrantedAccess;
  if (typeof access === 'string') {
    if (!/^0x[0-9a-fA-F]{64}$/.test(access))
      throw new InvalidArgumentError('access', 'must be a grant or its 32-byte hash', 'Pass a grant from getGrantedAccess, or its hash.');
    const item = await client.market.get('dataset', access).catch((error: unknown) => {
      if (error instanceof MarketApiError && error.httpStatus === 404)
        throw new InvalidArgumentError(
          'access',
          `is not the hash of a grant the orderbook knows (${error.apiMessage ?? 'not found'})`,
          'Pass a grant from getGrantedAccess, or its hash.',
        );
      throw error;
    });
    grant = marketToGrantedAccess(item);
  } else {
    grant = access;
  }
  const owner = await getAssetOwner(client.poco, { kind: 'dataset', address: grant.protectedData });
  if (!isAddressEqual(owner, me)) throw new NotAssetOwnerError('dataset', grant.protectedData, owner, me);
  const { hash } = await cancelOrder(wallet, { kind: 'dataset', order: grant.order });
  return { access: { ...grant, remainingAccess: 0n, revoked: true }, transactionHash: hash };
}
