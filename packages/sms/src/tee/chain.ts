import {
  decodePocoEvents,
  getApp,
  getDeal,
  type GetDealReturnType,
  getTask,
  type GetTaskReturnType,
  type PocoClient,
  TaskNotFoundError,
} from '@confidant/contracts';
import type { BaseError } from '@confidant/errors';
import type { Address, Hex } from 'viem';
import { ChainUnavailableError } from '../errors.js';
import { DealEventNotFoundError, UnknownTaskError } from './errors.js';

/** What the release side reads on chain; every failure to read is a ChainUnavailableError (503). */
export type TeeChain = {
  /** The task; UnknownTaskError when it was never initialized. */
  task(taskId: Hex): Promise<GetTaskReturnType>;
  deal(dealId: Hex): Promise<GetDealReturnType>;
  /** The app's on-chain checksum: the measurement its enclave must prove. */
  appChecksum(app: Address): Promise<Hex>;
  /** The hash of the dataset order the deal consumed, from the deal's OrdersMatched event. */
  datasetOrderHash(deal: Pick<GetDealReturnType, 'dealId' | 'startTime'>): Promise<Hex>;
};

// Blocks read per getLogs call while looking for a deal's OrdersMatched event.
const LOG_WINDOW = 500n;
const MAX_CACHED_DEALS = 10_000;

/**
 * The chain reads of the release side over a PoCo client.
 *
 * @example
 * const chain = createTeeChain(poco);
 * const { status, dealId } = await chain.task(taskId);
 */
export function createTeeChain(poco: PocoClient): TeeChain {
  // A deal's orders never change: its dataset order hash is looked up once.
  const orderHashes = new Map<Hex, Hex>();
  return {
    task: (taskId) =>
      reading(
        `read task ${taskId}`,
        () => getTask(poco, { taskId }),
        (error) => (error instanceof TaskNotFoundError ? new UnknownTaskError(taskId) : undefined),
      ),
    deal: (dealId) => reading(`read deal ${dealId}`, () => getDeal(poco, { dealId })),
    appChecksum: (app) => reading(`read app ${app}`, async () => (await getApp(poco, { app })).checksum),
    async datasetOrderHash(deal) {
      const known = orderHashes.get(deal.dealId);
      if (known) return known;
      const hash = await reading(`find the OrdersMatched event of deal ${deal.dealId}`, () => findDatasetOrderHash(poco, deal));
      if (orderHashes.size >= MAX_CACHED_DEALS) orderHashes.clear();
      orderHashes.set(deal.dealId, hash);
      return hash;
    },
  };
}

/**
 * The deal's OrdersMatched event carries no indexed field, so it is found by time: the deal's
 * startTime is its block's timestamp. A binary search finds the first block of that second, then
 * the logs of the blocks of that second are decoded until the deal's event appears.
 */
async function findDatasetOrderHash(poco: PocoClient, deal: Pick<GetDealReturnType, 'dealId' | 'startTime'>): Promise<Hex> {
  const client = poco.publicClient;
  const timestampOf = async (blockNumber: bigint) => (await client.getBlock({ blockNumber })).timestamp;
  const latest = await client.getBlockNumber({ cacheTime: 0 });
  let low = 0n;
  let high = latest;
  while (low < high) {
    const middle = (low + high) / 2n;
    if ((await timestampOf(middle)) < deal.startTime) low = middle + 1n;
    else high = middle;
  }
  for (let from = low; from <= latest; from += LOG_WINDOW) {
    const to = from + LOG_WINDOW - 1n < latest ? from + LOG_WINDOW - 1n : latest;
    const logs = await client.getLogs({ address: poco.addresses.poco, fromBlock: from, toBlock: to });
    for (const event of decodePocoEvents({ logs, addresses: poco.addresses })) {
      if (event.eventName === 'OrdersMatched' && event.args.dealid.toLowerCase() === deal.dealId.toLowerCase())
        return event.args.datasetHash;
    }
    if ((await timestampOf(to)) > deal.startTime) break;
  }
  throw new DealEventNotFoundError(deal.dealId);
}

async function reading<T>(purpose: string, read: () => Promise<T>, rename?: (error: unknown) => BaseError | undefined): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const renamed = rename?.(error);
    if (renamed) throw renamed;
    if (error instanceof DealEventNotFoundError) throw error;
    throw new ChainUnavailableError(error, purpose);
  }
}
