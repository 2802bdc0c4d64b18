import { type ByteSource, createIpfsClient, IpfsError } from '@confidant/protected-data';
import { StorageError, UnexpectedResponseError } from '../errors.js';

/** Where protected data files go: an IPFS node's kubo RPC API and a gateway to read them back. */
export type StorageClient = {
  /** Uploads a stream of `size` bytes; returns its CIDv0. */
  upload(chunks: ByteSource, size: number): Promise<string>;
  /** The bytes at `/ipfs/<cid>`, as a stream. */
  download(cid: string): Promise<AsyncIterable<Uint8Array>>;
};

/** The SDK's errors for the one IPFS client's (`@confidant/protected-data`): same message, the SDK's class. */
function asSdkError(error: unknown): unknown {
  if (!(error instanceof IpfsError)) return error;
  if (error.reason === 'malformed') return new UnexpectedResponseError('IPFS API', 'answer to add');
  return new StorageError(error.shortMessage, { cause: error });
}

export function createStorageClient({
  apiUrl,
  gatewayUrl,
  fetch: fetchImpl,
}: {
  apiUrl: string;
  gatewayUrl: string;
  fetch?: typeof fetch;
}): StorageClient {
  const ipfs = createIpfsClient({ apiUrl, gatewayUrl, fetch: fetchImpl });
  return {
    async upload(chunks, size) {
      try {
        return await ipfs.add(chunks, { name: 'protected-data', size });
      } catch (error) {
        // The source's own typed error (a file that changed, a cipher failure) comes through as is.
        throw asSdkError(error);
      }
    },
    async download(cid) {
      try {
        const bytes = await ipfs.cat(cid);
        return (async function* () {
          try {
            yield* bytes;
          } catch (error) {
            throw asSdkError(error);
          }
        })();
      } catch (error) {
        throw asSdkError(error);
      }
    },
  };
}
