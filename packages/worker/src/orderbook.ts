import { buildWorkerpoolOrder, type PocoClient, signOrder, type SignedWorkerpoolOrder, TDX_TAG } from '@confidant/contracts';
import { type ApiOutputs, createApiClient } from '@confidant/sdk';
import type { Address, Hex } from 'viem';
import { OrderPublicationError } from './errors.js';

/** What the workerpool offers in each order it publishes. */
export type WorkerpoolOffer = {
  /** nRLC per task (default 0). */
  price: bigint;
  /** Tasks per order (default 100). */
  volume: bigint;
  /** PoCo category (default 0, XS). */
  category: bigint;
  /** Default TDX (a TEE): what the local workerpool and iExec's TDX pools offer. */
  tag: Hex;
};

export const defaultOffer: WorkerpoolOffer = { price: 0n, volume: 100n, category: 0n, tag: TDX_TAG };

export type OrderbookKeeperParameters = {
  /** The marketplace API's tRPC URL, e.g. http://127.0.0.1:4000/trpc. */
  apiUrl: string;
  /** Signs as the workerpool owner. */
  owner: PocoClient;
  workerpool: Address;
  offer: WorkerpoolOffer;
  fetch?: typeof fetch | undefined;
};

export type OrderbookKeeper = {
  /** Publishes a new order when the orderbook has no open one of this workerpool in the offer's category; returns it, if any. */
  check(): Promise<SignedWorkerpoolOrder | undefined>;
};

/**
 * Keeps the workerpool's orderbook supplied: when the API lists no open order of this workerpool,
 * signs a TEE workerpool order (EIP-712, by the owner) and publishes it with `orders.publish`.
 *
 * @example
 * const keeper = createOrderbookKeeper({ apiUrl, owner: schedulerClient, workerpool, offer: defaultOffer });
 * await keeper.check();
 */
export function createOrderbookKeeper(parameters: OrderbookKeeperParameters): OrderbookKeeper {
  const api = createApiClient(parameters.apiUrl, parameters.fetch);
  const { offer, workerpool } = parameters;
  return {
    async check() {
      let listed: ApiOutputs['orders']['list'];
      try {
        listed = await api.orders.list.query({ kind: 'workerpool', subject: workerpool, live: true, limit: 100 });
      } catch (error) {
        throw new OrderPublicationError('the orderbook could not be read', error);
      }
      if (listed.items.some((item) => item.kind === 'workerpool' && item.remaining > 0n && item.order.category === offer.category))
        return undefined;
      const order = await buildSignedWorkerpoolOrder(parameters.owner, workerpool, offer);
      try {
        await api.orders.publish.mutate({ kind: 'workerpool', order });
      } catch (error) {
        throw new OrderPublicationError(error instanceof Error ? (error.message.split('\n')[0] ?? 'refused') : 'refused', error);
      }
      return order;
    },
  };
}

/**
 * A workerpool order of the offer, signed by the workerpool owner (the client's account).
 *
 * @example
 * const order = await buildSignedWorkerpoolOrder(schedulerClient, workerpool, defaultOffer);
 */
export function buildSignedWorkerpoolOrder(owner: PocoClient, workerpool: Address, offer: WorkerpoolOffer): Promise<SignedWorkerpoolOrder> {
  return signOrder(owner, {
    kind: 'workerpool',
    order: buildWorkerpoolOrder({
      workerpool,
      workerpoolprice: offer.price,
      volume: offer.volume,
      category: offer.category,
      tag: offer.tag,
    }),
  });
}
