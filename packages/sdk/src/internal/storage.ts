import type { ByteSource } from '@confidant/protected-data';
import { z } from 'zod';
import { StorageError, UnexpectedResponseError } from '../errors.js';

/** Where protected data files go: an IPFS node's kubo RPC API and a gateway to read them back. */
export type StorageClient = {
  /** Uploads a stream of `size` bytes; returns its CIDv0. */
  upload(chunks: ByteSource, size: number): Promise<string>;
  /** The bytes at `/ipfs/<cid>`, as a stream. */
  download(cid: string): Promise<AsyncIterable<Uint8Array>>;
};

const addAnswer = z.object({ Hash: z.string().min(1), Size: z.union([z.string(), z.number()]).optional() });

const encoder = new TextEncoder();
/** Streaming request bodies work in Node; browsers only stream them over HTTP/2, so they get a Blob. */
const canStreamBodies = typeof (globalThis as { window?: unknown }).window === 'undefined';

async function* multipart(boundary: string, chunks: ByteSource): AsyncGenerator<Uint8Array> {
  yield encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="protected-data"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  for await (const chunk of chunks) yield chunk;
  yield encoder.encode(`\r\n--${boundary}--\r\n`);
}

function toReadableStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

export function createStorageClient({ apiUrl, gatewayUrl, fetch: fetchImpl = globalThis.fetch }: { apiUrl: string; gatewayUrl: string; fetch?: typeof fetch }): StorageClient {
  const api = apiUrl.replace(/\/+$/, '');
  const gateway = gatewayUrl.replace(/\/+$/, '');
  return {
    async upload(chunks, size) {
      const boundary = `confidant-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
      const body = multipart(boundary, chunks);
      let response: Response;
      try {
        const init: RequestInit & { duplex?: 'half' } = {
          method: 'POST',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
          body: canStreamBodies ? toReadableStream(body) : await collectBlob(body),
        };
        if (canStreamBodies) init.duplex = 'half';
        response = await fetchImpl(`${api}/api/v0/add?cid-version=0&pin=true&progress=false`, init);
      } catch (error) {
        // The source's own typed error (a file that changed, a cipher failure) comes first.
        const own = findOwnError(error);
        if (own) throw own;
        throw new StorageError(`the IPFS API at ${api} could not be reached`, { cause: error });
      }
      const text = await response.text();
      if (!response.ok) throw new StorageError(`the IPFS API refused the upload (HTTP ${response.status}): ${text.slice(0, 200)}`);
      const lines = text.trim().split('\n');
      let parsed: z.infer<typeof addAnswer> | undefined;
      try {
        parsed = addAnswer.parse(JSON.parse(lines[lines.length - 1] ?? ''));
      } catch {
        throw new UnexpectedResponseError('IPFS API', 'answer to add');
      }
      if (parsed.Size !== undefined && Number(parsed.Size) < size) throw new StorageError(`the IPFS API stored ${parsed.Size} bytes of ${size}`);
      return parsed.Hash;
    },
    async download(cid) {
      let response: Response;
      try {
        response = await fetchImpl(`${gateway}/ipfs/${cid}`);
      } catch (error) {
        throw new StorageError(`the IPFS gateway at ${gateway} could not be reached`, { cause: error });
      }
      if (!response.ok || !response.body) throw new StorageError(`the IPFS gateway has no ${cid} (HTTP ${response.status})`);
      return iterate(response.body);
    },
  };
}

/** A ReadableStream as an async iterable (not every browser makes it one itself). */
async function* iterate(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function collectBlob(source: AsyncIterable<Uint8Array>): Promise<Blob> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for await (const chunk of source) parts.push(chunk.slice() as Uint8Array<ArrayBuffer>);
  return new Blob(parts);
}

function findOwnError(error: unknown): Error | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ('kind' in current && 'shortMessage' in current) return current;
  }
  return undefined;
}
