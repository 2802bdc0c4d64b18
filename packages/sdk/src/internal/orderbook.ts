import type { SignedAppOrder, SignedDatasetOrder, SignedWorkerpoolOrder } from '@confidant/contracts';
import { type Address, getAddress, type Hex } from 'viem';
import { z } from 'zod';
import type { ConfidantClient } from '../client.js';

const address = z.string().transform((value) => getAddress(value));
const big = z.union([z.bigint(), z.string().regex(/^\d+$/)]).transform((value) => BigInt(value));
const hex = z.string().transform((value) => value as Hex);
const base = { volume: big, tag: hex, salt: hex, sign: hex };
const shapes = {
  app: z.object({ app: address, appprice: big, datasetrestrict: address, workerpoolrestrict: address, requesterrestrict: address, ...base }),
  dataset: z.object({ dataset: address, datasetprice: big, apprestrict: address, workerpoolrestrict: address, requesterrestrict: address, ...base }),
  workerpool: z.object({ workerpool: address, workerpoolprice: big, category: big, trust: big, apprestrict: address, datasetrestrict: address, requesterrestrict: address, ...base }),
};
const page = <shape extends z.ZodType>(order: shape) => z.object({ items: z.array(z.object({ hash: hex, price: z.bigint(), remaining: z.bigint(), order })) });

type Query = { app?: Address | undefined; dataset?: Address | undefined; workerpool?: Address | undefined; requester?: Address | undefined; tag?: Hex | undefined; maxPrice?: bigint | undefined };

async function cheapest<kind extends keyof typeof shapes>(client: ConfidantClient, kind: kind, subject: Address | undefined, query: Query) {
  const answer = await client.api.query(
    'orders.list',
    { kind, subject, app: query.app, dataset: query.dataset, workerpool: query.workerpool, requester: query.requester, tag: query.tag, maxPrice: query.maxPrice, sort: 'priceAsc', live: true, limit: 20 },
    page(shapes[kind]),
  );
  // The orderbook sorts by price; the live volume says which of them can still be used.
  return answer.items.find((item) => item.remaining > 0n)?.order as z.infer<(typeof shapes)[kind]> | undefined;
}

/** The cheapest usable orders for a run, each as the orderbook holds it (signed by its owner). */
export const findOrders = {
  app: (client: ConfidantClient, app: Address, query: Query) => cheapest(client, 'app', app, query) as Promise<SignedAppOrder | undefined>,
  dataset: (client: ConfidantClient, dataset: Address, query: Query) => cheapest(client, 'dataset', dataset, query) as Promise<SignedDatasetOrder | undefined>,
  workerpool: (client: ConfidantClient, workerpool: Address | undefined, query: Query) => cheapest(client, 'workerpool', workerpool, query) as Promise<SignedWorkerpoolOrder | undefined>,
};
