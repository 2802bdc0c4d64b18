import type { DataSchema } from '@confidant/protected-data';
import { type Address, decodeEventLog, isAddressEqual, type Log, parseAbi } from 'viem';
import { dataSchemaSchema } from '../schemas.js';

/** The event iExec's DataProtector (and the local chain's stand-in) emits for each protected data it creates. */
const dataProtectorEvents = parseAbi(['event DatasetSchema(address indexed dataset, string schema)']);

/** A `DatasetSchema` event: the dataset and its schema (null when the JSON is not a valid schema). */
export type DatasetSchemaEvent = {
  eventName: 'DatasetSchema';
  dataset: Address;
  schema: DataSchema | null;
  blockNumber: bigint | null;
  logIndex: number | null;
  transactionHash: `0x${string}` | null;
};

/**
 * The schema as iExec's client writes it (`JSON.stringify` of nested keys to type names, e.g.
 * `{"email":"string","file":"application/pdf","address":{"city":"string"}}`), checked with the same
 * rules as `protectedData.registerSchema`; null when it is not one.
 */
function parseDataSchema(text: string): DataSchema | null {
  try {
    const parsed = dataSchemaSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The DatasetSchema events of `address` among raw logs. */
export function decodeDatasetSchemas(logs: Log[], address: Address | undefined): DatasetSchemaEvent[] {
  if (!address) return [];
  const events: DatasetSchemaEvent[] = [];
  for (const log of logs) {
    if (!isAddressEqual(log.address, address)) continue;
    try {
      const { args } = decodeEventLog({ abi: dataProtectorEvents, data: log.data, topics: log.topics, eventName: 'DatasetSchema' });
      events.push({
        eventName: 'DatasetSchema',
        dataset: args.dataset,
        schema: parseDataSchema(args.schema),
        blockNumber: log.blockNumber,
        logIndex: log.logIndex,
        transactionHash: log.transactionHash,
      });
    } catch {
      // Another event of the contract: not indexed.
    }
  }
  return events;
}
