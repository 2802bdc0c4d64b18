import { iexecPocoAbi, type SignedAppOrder, type SignedDatasetOrder, type SignedWorkerpoolOrder } from '@confidant/contracts';
import type { Address, Hex } from 'viem';
import type { ConfidantClient } from '../client.js';
import type { MarketKind, MarketOrder } from './market.js';

type Query = {
  app?: Address | undefined;
  dataset?: Address | undefined;
  workerpool?: Address | undefined;
  requester?: Address | undefined;
  tag?: Hex | undefined;
  maxPrice?: bigint | undefined;
};

/** What an order has left to match, read from the chain now (the orderbook may not have seen a deal or a cancellation yet). */
export async function liveRemaining(client: ConfidantClient, hash: Hex, volume: bigint): Promise<bigint> {
  const consumed = await client.poco.publicClient.readContract({
    address: client.poco.addresses.poco,
    abi: iexecPocoAbi,
    functionName: 'viewConsumed',
    args: [hash],
  });
  return consumed >= volume ? 0n : volume - consumed;
}

const priceOf = (item: MarketOrder<MarketKind>): bigint => {
  const order = item.order as { appprice?: bigint; datasetprice?: bigint; workerpoolprice?: bigint };
  return order.appprice ?? order.datasetprice ?? order.workerpoolprice ?? 0n;
};

/**
 * The market API's query for a run's orders of `kind`: the resource itself, then the run's other
 * parties as restrictions (an order restricted to someone else is not listed). A workerpool not
 * chosen yet is `any`; no protected data means orders open to none (`datasetrestrict` 0x0).
 */
function marketQuery(kind: MarketKind, subject: Address | undefined, query: Query): Record<string, string | undefined> {
  return {
    [kind]: subject,
    ...(kind === 'app' ? {} : { app: query.app }),
    ...(kind === 'dataset' ? {} : { dataset: query.dataset }),
    ...(kind === 'workerpool' ? {} : { workerpool: query.workerpool ?? 'any' }),
    requester: query.requester,
    minTag: query.tag?.toLowerCase(),
  };
}

async function cheapest<kind extends MarketKind>(
  client: ConfidantClient,
  kind: kind,
  subject: Address | undefined,
  query: Query,
): Promise<MarketOrder<kind>['order'] | undefined> {
  // The market API lists open orders cheapest first; the chain says which of them can still be used.
  const { orders } = await client.market.list(kind, { ...marketQuery(kind, subject, query), pageSize: 20 });
  for (const item of orders) {
    if (query.maxPrice !== undefined && priceOf(item) > query.maxPrice) return undefined;
    if (item.remaining > 0n && (await liveRemaining(client, item.orderHash, item.order.volume)) > 0n) return item.order;
  }
  return undefined;
}

/** The cheapest usable orders for a run, from the market API, each as its owner signed it. */
export const findOrders = {
  app: (client: ConfidantClient, app: Address, query: Query): Promise<SignedAppOrder | undefined> => cheapest(client, 'app', app, query),
  dataset: (client: ConfidantClient, dataset: Address, query: Query): Promise<SignedDatasetOrder | undefined> =>
    cheapest(client, 'dataset', dataset, query),
  workerpool: (client: ConfidantClient, workerpool: Address | undefined, query: Query): Promise<SignedWorkerpoolOrder | undefined> =>
    cheapest(client, 'workerpool', workerpool, query),
};
