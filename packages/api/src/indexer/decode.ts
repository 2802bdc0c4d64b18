import { type AssetTransferEvent, decodeAssetTransfers, decodePocoEvents, type PocoAddresses, type PocoEvent } from '@confidant/contracts';
import { type Address, hexToString, type Log } from 'viem';
import { type DatasetSchemaEvent, decodeDatasetSchemas } from './dataProtector.js';

export type ChainEvent = PocoEvent | AssetTransferEvent | DatasetSchemaEvent;

/** Every event the marketplace indexes out of raw logs, in chain order. */
export function decodeChainEvents(logs: Log[], addresses: PocoAddresses, dataProtector?: Address): ChainEvent[] {
  const events: ChainEvent[] = [
    ...decodePocoEvents({ logs, addresses }),
    ...decodeAssetTransfers({ logs, addresses }),
    ...decodeDatasetSchemas(logs, dataProtector),
  ];
  return events.sort((a, b) => Number((a.blockNumber ?? 0n) - (b.blockNumber ?? 0n)) || (a.logIndex ?? 0) - (b.logIndex ?? 0));
}

/** Where a task's result is, from the `results` bytes a worker published (JSON or plain text). */
export function resultLocation(results: `0x${string}`): string | null {
  if (results === '0x') return null;
  let text: string;
  try {
    text = hexToString(results);
  } catch {
    return results;
  }
  try {
    const parsed = JSON.parse(text) as { location?: unknown };
    if (typeof parsed.location === 'string') return parsed.location;
  } catch {
    // Not JSON: the text itself is the location.
  }
  return text;
}
