import type { UnixFS } from '@helia/unixfs';
import { CID } from 'multiformats/cid';
import { ContentNotFoundError, StorageRequestError } from './errors.js';

/** How much of a file is asked of the exporter at once: it reads ahead without waiting for the reader. */
const WINDOW = 4 * 1024 * 1024;

export type StoredFile = {
  cid: CID;
  /** The file's size in bytes. */
  size: bigint;
  /** Streams the file from the blockstore, a window at a time, as fast as the reader takes it. */
  read(signal?: AbortSignal): AsyncGenerator<Uint8Array, void, undefined>;
};

/**
 * Parses a CID from a request, as kubo accepts it (CIDv0 `Qm…` or CIDv1 in any multibase it knows).
 *
 * @example
 * const cid = parseCid('QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o');
 */
export function parseCid(text: string): CID {
  try {
    return CID.parse(text);
  } catch {
    throw new StorageRequestError(
      `"${text.slice(0, 100)}" is not a CID`,
      'Use the Hash that POST /api/v0/add answered, e.g. Qm… or bafy….',
    );
  }
}

/**
 * Finds a file in the local blockstore, ready to stream. Never asks a network: content that was not
 * added here is {@link ContentNotFoundError}; a directory or a non-UnixFS block is a {@link StorageRequestError}.
 *
 * @example
 * const file = await openFile(fs, parseCid(text));
 * for await (const bytes of file.read()) response.write(bytes);
 */
export async function openFile(fs: UnixFS, cid: CID, signal?: AbortSignal): Promise<StoredFile> {
  let size: bigint;
  try {
    const stats = await fs.stat(cid, { signal });
    if (stats.type === 'directory')
      throw new StorageRequestError(`${cid} is a directory`, 'The devnet gateway serves files only: ask for the CID of a file.');
    size = stats.size;
  } catch (error) {
    throw explainReadError(cid, error);
  }
  return {
    cid,
    size,
    async *read(readSignal) {
      try {
        for (let offset = 0n; offset < size; offset += BigInt(WINDOW)) {
          const length = size - offset < BigInt(WINDOW) ? Number(size - offset) : WINDOW;
          yield* fs.cat(cid, { offset: Number(offset), length, signal: readSignal });
        }
      } catch (error) {
        throw explainReadError(cid, error);
      }
    },
  };
}

function explainReadError(cid: CID, error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof StorageRequestError) return error;
  if (error.name === 'NotFoundError') return new ContentNotFoundError(cid.toString(), error);
  if (error.name === 'NotUnixFSError' || error.name === 'NoResolverError' || error.name === 'NotAFileError') {
    return new StorageRequestError(
      `${cid} is not a UnixFS file (${error.message || error.name})`,
      'The devnet gateway serves files added with POST /api/v0/add.',
    );
  }
  return error;
}
