import { buildDatasetOrder, getApp, getAssetOwner, NotAssetOwnerError, signOrder, TEE_TAG } from '@confidant/contracts';
import { type Address, isAddressEqual, zeroAddress } from 'viem';
import { type ConfidantClient, signerOf } from '../client.js';
import { InvalidArgumentError } from '../errors.js';
import { type GrantedAccess, marketToGrantedAccess, orderToGrantedAccess } from '../internal/shapes.js';
import { addressArgument, countArgument } from '../internal/validate.js';

export type GrantAccessParameters = {
  protectedData: Address;
  /** The app that may use the data. */
  authorizedApp: Address;
  /** Who may run it on the data; omit (or the zero address) for anyone. */
  authorizedUser?: Address | undefined;
  /** nRLC paid to you per use (default 0). */
  pricePerAccess?: bigint | number | undefined;
  /** How many times the data may be used under this grant (default 1). */
  numberOfAccess?: bigint | number | undefined;
  /** After this date the marketplace no longer serves the grant (and the SMS no longer releases the key). */
  expiresAt?: Date | undefined;
  /** Restrict to one workerpool; omit for any. */
  authorizedWorkerpool?: Address | undefined;
};

/**
 * Grants an app (and optionally one user) access to a protected data: signs a dataset order and
 * publishes it to the network's orderbook through iExec's market API (`POST /datasetorders`). A
 * grant with `expiresAt` is published through Confidant's API instead, which stores the expiry (the
 * market API has no field for it).
 *
 * @example
 * const grant = await grantAccess(confidant, { protectedData, authorizedApp: app, numberOfAccess: 10, pricePerAccess: 1_000_000 });
 */
export async function grantAccess(client: ConfidantClient, parameters: GrantAccessParameters): Promise<GrantedAccess> {
  const { wallet, address: me } = signerOf(client, 'granting access');
  const dataset = addressArgument('protectedData', parameters.protectedData);
  const app = addressArgument('authorizedApp', parameters.authorizedApp);
  const user = parameters.authorizedUser === undefined ? zeroAddress : addressArgument('authorizedUser', parameters.authorizedUser);
  const workerpool =
    parameters.authorizedWorkerpool === undefined ? zeroAddress : addressArgument('authorizedWorkerpool', parameters.authorizedWorkerpool);
  const price = countArgument('pricePerAccess', parameters.pricePerAccess ?? 0n);
  const volume = countArgument('numberOfAccess', parameters.numberOfAccess ?? 1n, { min: 1n });
  if (
    parameters.expiresAt !== undefined &&
    (!(parameters.expiresAt instanceof Date) ||
      Number.isNaN(parameters.expiresAt.getTime()) ||
      parameters.expiresAt.getTime() <= Date.now())
  ) {
    throw new InvalidArgumentError(
      'expiresAt',
      'must be a date in the future',
      'Give the date after which the grant ends, or omit it for a grant that lasts until revoked.',
    );
  }

  // Plain-words refusals before anything is signed: an unknown app, data that is not yours.
  await getApp(client.poco, { app });
  const owner = await getAssetOwner(client.poco, { kind: 'dataset', address: dataset });
  if (!isAddressEqual(owner, me)) throw new NotAssetOwnerError('dataset', dataset, owner, me);

  const order = await signOrder(wallet, {
    kind: 'dataset',
    order: buildDatasetOrder({
      dataset,
      datasetprice: price,
      volume,
      tag: TEE_TAG,
      apprestrict: app,
      requesterrestrict: user,
      workerpoolrestrict: workerpool,
    }),
  });
  if (parameters.expiresAt) {
    // The market API has no expiry field: a grant that ends is published through Confidant's API
    // (tRPC `orders.publish`), which stores the expiry and stops serving the grant, on both doors, after it.
    return orderToGrantedAccess(await client.api.orders.publish.mutate({ kind: 'dataset', order, expiresAt: parameters.expiresAt }));
  }
  return marketToGrantedAccess(await client.market.publish(wallet, 'dataset', order));
}
