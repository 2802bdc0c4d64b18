// Test helpers that talk to the devnet storage the way kubo clients do.
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createCipheriv } from 'node:crypto';
import type { DevnetStorage } from '../src/storage.js';

export type AddAnswer = { status: number; text: string; json: unknown };

/** `POST /api/v0/add` with a FormData holding one Blob under "file", like kubo-rpc-client. */
export async function addBlob(storage: Pick<DevnetStorage, 'apiUrl'>, content: string | Uint8Array, query = ''): Promise<AddAnswer> {
  const form = new FormData();
  form.append('file', new Blob([content]));
  const response = await fetch(`${storage.apiUrl}/api/v0/add${query ? `?${query}` : ''}`, { method: 'POST', body: form });
  const text = await response.text();
  return { status: response.status, text, json: safeJson(text.split('\n')[0] ?? '') };
}

export type CatAnswer = { status: number; headers: Headers; bytes: Uint8Array; text: string; json: unknown };

/** GET (or HEAD) `/ipfs/<cid>` on the gateway. */
export async function cat(storage: Pick<DevnetStorage, 'gatewayUrl'>, cid: string, method: 'GET' | 'HEAD' = 'GET'): Promise<CatAnswer> {
  const response = await fetch(`${storage.gatewayUrl}/ipfs/${cid}`, { method });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return {
    status: response.status,
    headers: response.headers,
    bytes,
    text: new TextDecoder().decode(bytes),
    json: safeJson(new TextDecoder().decode(bytes)),
  };
}

/** Deterministic, incompressible bytes (AES-128-CTR of zeros), generated as they are read. */
export function* pseudoRandomBytes(total: number, piece = 65_537, seed = 1): Generator<Uint8Array> {
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, seed), Buffer.alloc(16));
  const zeros = Buffer.alloc(piece);
  for (let sent = 0; sent < total; sent += piece) yield cipher.update(zeros.subarray(0, Math.min(piece, total - sent)));
}

/** A multipart/form-data body with one file part, produced as it is sent. */
async function* multipartBody(boundary: string, content: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="data.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  yield* content;
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}

/** Streams a multipart body to `/api/v0/add` with node:http (nothing buffered on the client side). */
export async function addStream(
  storage: Pick<DevnetStorage, 'apiUrl'>,
  content: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  query = '',
): Promise<AddAnswer> {
  const boundary = 'confidant-test-boundary-7f3a';
  const url = new URL(`${storage.apiUrl}/api/v0/add${query ? `?${query}` : ''}`);
  const outgoing = request(url, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
  });
  const answer = new Promise<AddAnswer>((resolve, reject) => {
    outgoing.once('response', async (response) => {
      let text = '';
      for await (const bytes of response) text += String(bytes);
      resolve({ status: response.statusCode ?? 0, text, json: safeJson(text.split('\n')[0] ?? '') });
    });
    outgoing.once('error', reject);
  });
  await pipeline(Readable.from(multipartBody(boundary, content)), outgoing);
  return answer;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
