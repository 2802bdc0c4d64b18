import type { PocoClient } from '../client.js';
import { iexecPocoAbi } from '../generated/abis.js';
import type { OrderKind, OrderOf } from '../orders.js';
import { getPocoDomain } from './getPocoDomain.js';
import { hashOrder } from './hashOrder.js';

export type GetRemainingVolumeParameters<kind extends OrderKind> = { kind: kind; order: OrderOf<kind> };

export type GetRemainingVolumeReturnType = {
  /** Uses left: the order's volume minus what deals consumed (0 once cancelled). */
  remaining: bigint;
  consumed: bigint;
  volume: bigint;
};

/**
 * How many more times an order can be matched (a grant's uses left).
 *
 * @example
 * const { remaining } = await getRemainingVolume(client, { kind: 'dataset', order: grant });
 */
export async function getRemainingVolume<kind extends OrderKind>(
  client: PocoClient,
  { kind, order }: GetRemainingVolumeParameters<kind>,
): Promise<GetRemainingVolumeReturnType> {
  const orderHash = hashOrder({ domain: await getPocoDomain(client), kind, order });
  const consumed = await client.publicClient.readContract({
    address: client.addresses.poco,
    abi: iexecPocoAbi,
    functionName: 'viewConsumed',
    args: [orderHash],
  });
  const volume = order.volume;
  return { remaining: consumed >= volume ? 0n : volume - consumed, consumed, volume };
}
