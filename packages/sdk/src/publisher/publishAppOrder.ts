import { buildAppOrder, getApp, getAssetOwner, NotAssetOwnerError, signOrder, TDX_TAG } from '@confidant/contracts';
import { type Address, type Hex, isAddressEqual, zeroAddress } from 'viem';
import { type ConfidantClient, signerOf } from '../client.js';
import { addressArgument, countArgument } from '../internal/validate.js';

export type PublishAppOrderParameters = {
  app: Address;
  /** nRLC paid to you per run (default 0). */
  price?: bigint | number | undefined;
  /** How many runs this order allows (default 1,000,000). */
  volume?: bigint | number | undefined;
  /** Tag the runs must carry; TEE by default (an app of this platform always runs in an enclave). */
  tag?: Hex | undefined;
  /** Only with this protected data / workerpool / requester; omit for any. */
  datasetRestrict?: Address | undefined;
  workerpoolRestrict?: Address | undefined;
  requesterRestrict?: Address | undefined;
};

export type PublishedAppOrder = { hash: Hex; app: Address; price: bigint; volume: bigint; remaining: bigint };

/**
 * Offers an app to requesters: signs an app order (price per run, number of runs, restrictions) and
 * publishes it to the network's orderbook through iExec's market API (`POST /apporders`, authorized
 * by a challenge the account signs). A refusal of the market API comes as a `MarketApiError` with its words.
 *
 * @example
 * await publishAppOrder(confidant, { app, price: 1_000_000n, volume: 100 });
 */
export async function publishAppOrder(client: ConfidantClient, parameters: PublishAppOrderParameters): Promise<PublishedAppOrder> {
  const { wallet, address: me } = signerOf(client, 'publishing an app order');
  const app = addressArgument('app', parameters.app);
  const optional = (name: string, value: Address | undefined) => (value === undefined ? zeroAddress : addressArgument(name, value));
  await getApp(client.poco, { app });
  const owner = await getAssetOwner(client.poco, { kind: 'app', address: app });
  if (!isAddressEqual(owner, me)) throw new NotAssetOwnerError('app', app, owner, me);
  const order = await signOrder(wallet, {
    kind: 'app',
    order: buildAppOrder({
      app,
      appprice: countArgument('price', parameters.price ?? 0n),
      volume: countArgument('volume', parameters.volume ?? 1_000_000n, { min: 1n }),
      tag: parameters.tag ?? TDX_TAG,
      datasetrestrict: optional('datasetRestrict', parameters.datasetRestrict),
      workerpoolrestrict: optional('workerpoolRestrict', parameters.workerpoolRestrict),
      requesterrestrict: optional('requesterRestrict', parameters.requesterRestrict),
    }),
  });
  const published = await client.market.publish(wallet, 'app', order);
  return {
    hash: published.orderHash,
    app,
    price: published.order.appprice,
    volume: published.order.volume,
    remaining: published.remaining,
  };
}
