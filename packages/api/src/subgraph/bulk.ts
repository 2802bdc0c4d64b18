import { GraphQLError } from 'graphql';

/**
 * A bulk request's slices, read from IPFS as iExec's SMS and PoCo subgraph read them (GitHub
 * PoCo-subgraph: src/Modules/Bulk.ts): the deal's `bulk_cid` names a JSON array of slice CIDs, and
 * slice i (the task of index i) is a JSON array of dataset orders.
 */

/** One dataset order of a slice, as the requester signed it (all values strings). */
type BulkDatasetOrder = {
  dataset: string;
  datasetprice: string;
  volume: string;
  tag: string;
  apprestrict: string;
  workerpoolrestrict: string;
  requesterrestrict: string;
  salt: string;
  sign: string;
};

export type BulkSliceContent = { cid: string; orders: BulkDatasetOrder[] };

export type BulkReader = {
  /** Slice `index` of the bulk `bulkCid`; null when the bulk has no such entry. */
  slice(bulkCid: string, index: bigint): Promise<BulkSliceContent | null>;
};

export type BulkReaderOptions = {
  /** The IPFS gateway (`GET <gateway>/ipfs/<cid>`); without one, reading a bulk is a GraphQL error. */
  gatewayUrl?: string | undefined;
  /** Per document (the bulk and each slice). Default 10 s. */
  timeoutMs?: number | undefined;
  /** Largest document read. Default 1 MiB (a slice of 100 orders is about 60 kB). */
  maxBytes?: number | undefined;
};

/** Documents remembered (content-addressed: they never change). */
const CACHE_SIZE = 512;
const CID = /^[A-Za-z0-9]{32,128}$/;
/** Addresses are checked (and kept) lowercased, as the subgraph does. */
const ADDRESS = /^0x[0-9a-fA-F]{40}$/i;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const HEX = /^0x([0-9a-fA-F]{2})*$/;
const INTEGER = /^\d{1,78}$/;

const UNAVAILABLE = 'BULK_UNAVAILABLE';
const unavailable = (message: string) =>
  new GraphQLError(`bulk: ${message}`, { extensions: { code: UNAVAILABLE, hint: 'Retry later, or check the IPFS gateway.' } });
const isUnavailable = (error: unknown) => (error as { extensions?: { code?: unknown } } | null)?.extensions?.code === UNAVAILABLE;

/** The body of `response`, refused past `maxBytes` (counted as it streams, whatever it declares). */
async function cappedText(response: Response, maxBytes: number, what: string): Promise<string> {
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) throw unavailable(`${what} is larger than ${maxBytes} bytes`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (let next = await reader?.read(); next && !next.done; next = await reader?.read()) {
    size += next.value.byteLength;
    if (size > maxBytes) {
      await reader?.cancel();
      throw unavailable(`${what} is larger than ${maxBytes} bytes`);
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A slice's dataset orders: entries that are not complete, well-formed orders are left out (as the subgraph does). */
function datasetOrders(content: unknown): BulkDatasetOrder[] {
  if (!Array.isArray(content)) return [];
  const checks: Record<keyof BulkDatasetOrder, RegExp> = {
    dataset: ADDRESS,
    datasetprice: INTEGER,
    volume: INTEGER,
    tag: BYTES32,
    apprestrict: ADDRESS,
    workerpoolrestrict: ADDRESS,
    requesterrestrict: ADDRESS,
    salt: BYTES32,
    sign: HEX,
  };
  const valid = (entry: unknown): entry is BulkDatasetOrder =>
    typeof entry === 'object' &&
    entry !== null &&
    Object.entries(checks).every(([key, pattern]) => {
      const value = (entry as Record<string, unknown>)[key];
      return typeof value === 'string' && pattern.test(value);
    });
  return content.filter(valid).map((order) => ({
    ...order,
    dataset: order.dataset.toLowerCase(),
    apprestrict: order.apprestrict.toLowerCase(),
    workerpoolrestrict: order.workerpoolrestrict.toLowerCase(),
    requesterrestrict: order.requesterrestrict.toLowerCase(),
  }));
}

/**
 * Reads bulks and their slices from an IPFS gateway, lazily, with a timeout and a size cap per
 * document; what it read is remembered (by CID), a failure is not. An unreachable gateway, an
 * error status, a timeout, an oversized or non-JSON document is a GraphQL error saying which.
 *
 * @example
 * const bulks = createBulkReader({ gatewayUrl: 'http://127.0.0.1:5001' });
 * const slice = await bulks.slice(bulkCid, 0n); // { cid, orders: [{ dataset, … }] } or null
 */
export function createBulkReader(options: BulkReaderOptions): BulkReader {
  const documents = new Map<string, Promise<unknown>>();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 1024 * 1024;

  async function download(cid: string): Promise<unknown> {
    const gateway = options.gatewayUrl;
    if (!gateway)
      throw unavailable('this API has no IPFS gateway configured (ipfsGatewayUrl, IPFS_GATEWAY_URL) to read bulk requests from');
    let text: string;
    try {
      const response = await fetch(`${gateway.replace(/\/+$/, '')}/ipfs/${cid}`, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw unavailable(`the IPFS gateway answered ${response.status} for ${cid}`);
      text = await cappedText(response, maxBytes, cid);
    } catch (error) {
      if (isUnavailable(error)) throw error;
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'unreachable';
      throw unavailable(`the IPFS gateway is ${reason} (reading ${cid})`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw unavailable(`${cid} is not JSON`);
    }
  }

  function read(cid: string): Promise<unknown> {
    if (!CID.test(cid)) return Promise.reject(unavailable(`${JSON.stringify(cid)} is not an IPFS CID`));
    const known = documents.get(cid);
    if (known) return known;
    const reading = download(cid);
    documents.set(cid, reading);
    reading.catch(() => documents.delete(cid));
    if (documents.size > CACHE_SIZE) documents.delete(documents.keys().next().value as string);
    return reading;
  }

  return {
    async slice(bulkCid, index) {
      const root = await read(bulkCid);
      if (!Array.isArray(root)) throw unavailable(`${bulkCid} is not a JSON array of slice CIDs`);
      const cid: unknown = index < BigInt(root.length) ? root[Number(index)] : undefined;
      if (typeof cid !== 'string') return null;
      return { cid, orders: datasetOrders(await read(cid)) };
    },
  };
}

/** The `bulk_cid` of a deal's params (a deal without a dataset), else null. */
export function bulkCidOf(deal: { dataset: string | null; params: string }): string | null {
  if (deal.dataset !== null) return null;
  try {
    const params = JSON.parse(deal.params) as { bulk_cid?: unknown } | null;
    return typeof params?.bulk_cid === 'string' ? params.bulk_cid : null;
  } catch {
    return null;
  }
}
