import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createIpfsClient, fetchContent, IpfsError, multiaddrToLocation } from '@confidant/protected-data';
import type { Hex } from 'viem';
import { ResultStorageError, TaskInputError } from '../errors.js';

/** Where the runner reads inputs and writes results: an IPFS gateway and a kubo RPC API. */
export type StorageOptions = {
  /** Base of an IPFS gateway: content is read at `${gatewayUrl}/ipfs/<cid>`. */
  gatewayUrl: string;
  /** Base of a kubo RPC API: results are added at `${apiUrl}/api/v0/add`. */
  apiUrl: string;
};

const trim = (url: string) => url.replace(/\/+$/, '');

/**
 * The URL to fetch a dataset from: its location may be the on-chain multiaddr (hex; a `/p2p/` CID
 * or the bytes of a URL), an `/ipfs/<cid>` path, or an http(s) URL.
 *
 * @example
 * resolveLocation('/ipfs/QmT78z…', 'http://127.0.0.1:8080'); // 'http://127.0.0.1:8080/ipfs/QmT78z…'
 */
export function resolveLocation(location: string, gatewayUrl: string): string {
  let where = location;
  if (/^0x([0-9a-fA-F]{2})+$/.test(location)) {
    const decoded = multiaddrToLocation(location as Hex);
    where = decoded.kind === 'ipfs' ? decoded.path : decoded.url;
  }
  if (where.startsWith('/ipfs/')) return `${trim(gatewayUrl)}${where}`;
  if (/^https?:\/\//i.test(where)) return where;
  throw new TaskInputError(
    `the location ${JSON.stringify(where.slice(0, 120))} is neither an IPFS path nor an http(s) URL`,
    'Register the data with an /ipfs/<cid> multiaddr or an http(s) URL.',
  );
}

/**
 * Streams a URL to a new file (mode 0600), hashing it on the way; returns `0x` + sha256 and the size.
 * The whole transfer has a time limit (default 15 minutes). The download is the one IPFS client's
 * (`fetchContent` of `@confidant/protected-data`); its failures become `TaskInputError`s naming `what`.
 *
 * @example
 * const { sha256 } = await downloadToFile(url, join(dir, 'dataset.enc'), { what: 'the protected data' });
 */
export async function downloadToFile(
  url: string,
  path: string,
  options: { what: string; maxBytes?: number | undefined; timeoutMs?: number | undefined; fetch?: typeof fetch | undefined },
): Promise<{ sha256: Hex; size: number }> {
  if (!/^https?:\/\//i.test(url))
    throw new TaskInputError(
      `${options.what} is at ${url.slice(0, 120)}, which is not an http(s) URL`,
      'Give input files as http(s) URLs.',
    );
  const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const asTaskInputError = (cause: unknown): TaskInputError => {
    if (cause instanceof TaskInputError) return cause;
    if (cause instanceof IpfsError && cause.reason === 'unreachable')
      return new TaskInputError(
        `${options.what} could not be downloaded from ${url}`,
        'Check that the storage is reachable from the worker.',
        cause,
      );
    if (cause instanceof IpfsError && cause.reason === 'refused')
      return new TaskInputError(
        `${options.what} could not be downloaded from ${url} (HTTP ${cause.status})`,
        'Check that the content is still stored at that address.',
        cause,
      );
    if (cause instanceof IpfsError && cause.reason === 'too-large')
      return new TaskInputError(
        `${options.what} is larger than ${max} bytes`,
        "Use a smaller file, or raise the runner's download limit.",
        cause,
      );
    return new TaskInputError(
      `${options.what} could not be downloaded from ${url}: the transfer failed or took too long`,
      'Check that the storage is reachable and fast enough from the worker.',
      cause,
    );
  };
  let body: AsyncIterable<Uint8Array>;
  try {
    body = await fetchContent(url, { fetch: options.fetch, timeoutMs: options.timeoutMs ?? 15 * 60_000, maxBytes: options.maxBytes });
  } catch (cause) {
    throw asTaskInputError(cause);
  }
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      Readable.from(body),
      async function* (source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          size += chunk.length;
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(path, { mode: 0o600, flags: 'wx' }),
    );
  } catch (cause) {
    throw asTaskInputError(cause);
  }
  return { sha256: `0x${hash.digest('hex')}`, size };
}

/**
 * Adds bytes to IPFS through the kubo RPC (`POST /api/v0/add`, one multipart file) with the one IPFS
 * client (`@confidant/protected-data`) and returns the CID; failures are `ResultStorageError`s.
 *
 * @example
 * const cid = await uploadToIpfs(zip, 'result.zip', storage);
 */
export async function uploadToIpfs(
  bytes: Uint8Array,
  name: string,
  storage: StorageOptions,
  fetchImpl: typeof fetch = globalThis.fetch,
): Promise<string> {
  try {
    return await createIpfsClient({ apiUrl: storage.apiUrl, gatewayUrl: storage.gatewayUrl, fetch: fetchImpl }).add(bytes, { name });
  } catch (cause) {
    if (!(cause instanceof IpfsError)) throw cause;
    if (cause.reason === 'unreachable') throw new ResultStorageError(`the IPFS API at ${cause.url} could not be reached`, cause);
    if (cause.reason === 'refused') throw new ResultStorageError(`the IPFS API refused the result (HTTP ${cause.status})`, cause);
    if (cause.reason === 'malformed') throw new ResultStorageError('the IPFS API answered the upload without a CID', cause);
    throw new ResultStorageError(cause.shortMessage, cause);
  }
}
