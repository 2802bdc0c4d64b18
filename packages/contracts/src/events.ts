import {
  type AbiEvent,
  type Address,
  decodeEventLog,
  getAddress,
  type Hex,
  isAddressEqual,
  type Log,
  numberToHex,
  parseEventLogs,
  toEventSelector,
} from 'viem';
import type { AssetKind } from './errors.js';
import { appRegistryAbi, iexecPocoAbi } from './generated/abis.js';
import type { PocoAddresses } from './networks.js';

/** The diamond's events the platform follows: deals, tasks, cancellations and money moves. */
export const pocoEventNames = [
  'OrdersMatched',
  'SchedulerNotice',
  'TaskInitialize',
  'TaskContribute',
  'TaskConsensus',
  'TaskReveal',
  'TaskFinalize',
  'TaskClaimed',
  'ClosedAppOrder',
  'ClosedDatasetOrder',
  'ClosedWorkerpoolOrder',
  'ClosedRequestOrder',
  'SignedAppOrder',
  'SignedDatasetOrder',
  'SignedWorkerpoolOrder',
  'SignedRequestOrder',
  'Reward',
  'Seize',
  'Lock',
  'Unlock',
] as const;

export type PocoEventName = (typeof pocoEventNames)[number];

/** A decoded diamond event (typed by its name). */
export type PocoEvent = ReturnType<typeof parseEventLogs<typeof iexecPocoAbi, true, PocoEventName>>[number];

/** A registry NFT transfer: an asset created (`from` is zero) or handed to a new owner. */
export type AssetTransferEvent = {
  eventName: 'AssetTransfer';
  assetKind: AssetKind;
  asset: Address;
  from: Address;
  to: Address;
  blockNumber: bigint | null;
  /** The block's time, when the node puts it in its logs. */
  blockTimestamp?: bigint | null | undefined;
  transactionHash: `0x${string}` | null;
  logIndex: number | null;
};

/**
 * Decodes the diamond's platform events out of raw logs (other contracts' logs are skipped).
 *
 * @example
 * const events = decodePocoEvents({ logs: receipt.logs, addresses });
 * const matched = events.find((e) => e.eventName === 'OrdersMatched');
 */
export function decodePocoEvents({ logs, addresses }: { logs: Log[]; addresses: Pick<PocoAddresses, 'poco'> }): PocoEvent[] {
  const decoded: PocoEvent[] = [];
  for (const log of logs) {
    // One lookup by topic instead of trying every event of the ABI: indexers decode many thousands.
    const event = log.topics[0] ? eventsByTopic().get(log.topics[0]) : undefined;
    if (!event || !isAddressEqual(log.address, addresses.poco)) continue;
    try {
      const { eventName, args } = decodeEventLog({ abi: [event], data: log.data, topics: log.topics as [Hex, ...Hex[]] });
      decoded.push({ ...log, eventName, args } as unknown as PocoEvent);
    } catch {
      // A log of the same signature but another layout is not one of ours.
    }
  }
  return decoded;
}

let topics: Map<Hex, AbiEvent> | undefined;
function eventsByTopic(): Map<Hex, AbiEvent> {
  topics ??= new Map(
    iexecPocoAbi
      .filter(
        (item): item is Extract<(typeof iexecPocoAbi)[number], { type: 'event' }> =>
          item.type === 'event' && (pocoEventNames as readonly string[]).includes(item.name),
      )
      .map((item) => [toEventSelector(item as AbiEvent), item as AbiEvent]),
  );
  return topics;
}

/**
 * Decodes app, dataset and workerpool registry transfers (creations included) out of raw logs.
 *
 * @example
 * const [created] = decodeAssetTransfers({ logs: receipt.logs, addresses });
 */
export function decodeAssetTransfers({
  logs,
  addresses,
}: {
  logs: Log[];
  addresses: Pick<PocoAddresses, 'appRegistry' | 'datasetRegistry' | 'workerpoolRegistry'>;
}): AssetTransferEvent[] {
  const registries: [Address, AssetKind][] = [
    [addresses.appRegistry, 'app'],
    [addresses.datasetRegistry, 'dataset'],
    [addresses.workerpoolRegistry, 'workerpool'],
  ];
  const kindOf = (address: Address) => registries.find(([registry]) => isAddressEqual(registry, address))?.[1];
  return parseEventLogs({
    abi: appRegistryAbi,
    eventName: 'Transfer',
    logs: logs.filter((log) => kindOf(log.address) !== undefined),
  }).map((log) => ({
    eventName: 'AssetTransfer',
    assetKind: kindOf(log.address) as AssetKind,
    asset: getAddress(numberToHex(log.args.tokenId, { size: 20 })),
    from: log.args.from,
    to: log.args.to,
    blockNumber: log.blockNumber,
    blockTimestamp: (log as { blockTimestamp?: bigint | null }).blockTimestamp,
    transactionHash: log.transactionHash,
    logIndex: log.logIndex,
  }));
}
