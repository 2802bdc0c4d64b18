import type { OrderKind, SignedAppOrder, SignedDatasetOrder, SignedWorkerpoolOrder } from '@confidant/contracts';
import type { Address, Hex } from 'viem';
import type { ConfidantClient } from '../client.js';
import type { ApiOutputs } from './api.js';

type Query = {
  app?: Address | undefined;
  dataset?: Address | undefined;
  workerpool?: Address | undefined;
  requester?: Address | undefined;
  tag?: Hex | undefined;
  maxPrice?: bigint | undefined;
};

type Listed = ApiOutputs['orders']['list']['items'][number];
type OrderOf<kind extends OrderKind> = Extract<Listed, { kind: kind }>['order'];

async function cheapest<kind extends 'app' | 'dataset' | 'workerpool'>(
  client: ConfidantClient,
  kind: kind,
  subject: Address | undefined,
  query: Query,
): Promise<OrderOf<kind> | undefined> {
  const answer = await client.api.orders.list.query({
    kind,
    subject,
    app: query.app,
    dataset: query.dataset,
    workerpool: query.workerpool,
    requester: query.requester,
    tag: query.tag,
    maxPrice: query.maxPrice,
    sort: 'priceAsc',
    live: true,
    limit: 20,
  });
  // The orderbook sorts by price; the live volume says which of them can still be used.
  const usable = answer.items.find((item) => item.kind === kind && item.remaining > 0n);
  return usable?.order as OrderOf<kind> | undefined;
}

/** The cheapest usable orders for a run, each as the orderbook holds it (signed by its owner). */
export const findOrders = {
  app: (client: ConfidantClient, app: Address, query: Query): Promise<SignedAppOrder | undefined> => cheapest(client, 'app', app, query),
  dataset: (client: ConfidantClient, dataset: Address, query: Query): Promise<SignedDatasetOrder | undefined> =>
    cheapest(client, 'dataset', dataset, query),
  workerpool: (client: ConfidantClient, workerpool: Address | undefined, query: Query): Promise<SignedWorkerpoolOrder | undefined> =>
    cheapest(client, 'workerpool', workerpool, query),
};
