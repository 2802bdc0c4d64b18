import { getDeal, iexecPocoAbi, type PocoClient } from '@confidant/contracts';
import type { Address, Hex } from 'viem';
import type { NewDeal, TaskStore } from './store.js';

export type DealWatcherParameters = {
  client: PocoClient;
  store: TaskStore;
  workerpool: Address;
  /** Blocks a deal waits under the head before it is taken (0: at once). */
  confirmations: number;
  /** Where to start when the store has no cursor yet; default the current (confirmed) head. */
  fromBlock?: bigint | undefined;
  /** Blocks per getLogs request. */
  blockRange?: bigint | undefined;
};

export type DealWatcher = {
  /** Records the deals of the blocks since the cursor; returns how many new deals it saw. */
  poll(): Promise<number>;
};

/**
 * Follows the deals matched on one workerpool. PoCo's matchOrders emits `SchedulerNotice(workerpool,
 * dealid)` next to `OrdersMatched`, with the workerpool indexed: one filtered getLogs finds exactly
 * this pool's deals. Each batch of blocks is recorded with its deals and tasks in one transaction.
 *
 * @example
 * const watcher = createDealWatcher({ client, store, workerpool, confirmations: 0 });
 * await watcher.poll();
 */
export function createDealWatcher(parameters: DealWatcherParameters): DealWatcher {
  const { client, store, workerpool } = parameters;
  const range = parameters.blockRange ?? 2_000n;
  return {
    async poll() {
      const head = await client.publicClient.getBlockNumber();
      const confirmed = head - BigInt(parameters.confirmations);
      if (confirmed < 0n) return 0;
      let cursor = await store.readCursor(workerpool);
      if (cursor === undefined) {
        cursor = (parameters.fromBlock ?? confirmed + 1n) - 1n;
        await store.recordDeals(workerpool, [], cursor);
      }
      let seen = 0;
      for (let from = cursor + 1n; from <= confirmed; from += range) {
        const to = from + range - 1n < confirmed ? from + range - 1n : confirmed;
        const notices = await client.publicClient.getContractEvents({
          address: client.addresses.poco,
          abi: iexecPocoAbi,
          eventName: 'SchedulerNotice',
          args: { workerpool },
          fromBlock: from,
          toBlock: to,
        });
        const found: NewDeal[] = [];
        for (const notice of notices) {
          const dealId = notice.args.dealid as Hex;
          const deal = await getDeal(client, { dealId });
          found.push({
            dealId: dealId.toLowerCase(),
            workerpool: workerpool.toLowerCase(),
            app: deal.app.pointer.toLowerCase(),
            dataset: deal.dataset.pointer.toLowerCase(),
            requester: deal.requester.toLowerCase(),
            beneficiary: deal.beneficiary.toLowerCase(),
            category: deal.category,
            params: deal.params,
            botFirst: deal.botFirst,
            botSize: deal.botSize,
            blockNumber: notice.blockNumber ?? to,
          });
        }
        await store.recordDeals(workerpool, found, to);
        seen += found.length;
      }
      return seen;
    },
  };
}
