import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CorruptedDataError } from '@confidant/protected-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageError } from '../errors.js';
import { createStorageClient } from './storage.js';

// A loopback server standing in for the kubo API: it records what arrives and answers like kubo.
let received: { url: string; type: string; body: Buffer }[] = [];
let answer = (body: Buffer) => ({
  status: 200,
  text: `${JSON.stringify({ Name: 'protected-data', Hash: 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o', Size: String(body.length) })}\n`,
});
const server = createServer(async (req: IncomingMessage, res) => {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of req) parts.push(chunk as Buffer);
  } catch {
    // The client gave up mid-body (its source failed): nothing to answer.
    return;
  }
  const body = Buffer.concat(parts);
  received.push({ url: req.url ?? '', type: req.headers['content-type'] ?? '', body });
  const { status, text } = answer(body);
  res.writeHead(status, { 'content-type': 'application/json' }).end(text);
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);

async function* chunks(...parts: string[]) {
  for (const part of parts) yield new TextEncoder().encode(part);
}

describe('the storage client', () => {
  it('streams one multipart file part to /api/v0/add asking for a CIDv0', async () => {
    received = [];
    const cid = await createStorageClient({ apiUrl: `${base}/`, gatewayUrl: base }).upload(chunks('hello ', 'world\n'), 12);
    expect(cid).toBe('QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o');
    const [request] = received;
    expect(request?.url).toBe('/api/v0/add?cid-version=0&pin=true&progress=false');
    const boundary = /boundary=(.+)$/.exec(request?.type ?? '')?.[1];
    expect(request?.body.toString()).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="protected-data"\r\nContent-Type: application/octet-stream\r\n\r\nhello world\n\r\n--${boundary}--\r\n`,
    );
  });

  it("passes on the source's own typed error, and names a refusal or an unreachable node", async () => {
    async function* failing() {
      yield new Uint8Array(4);
      throw new CorruptedDataError('the file changed while it was being protected');
    }
    const client = createStorageClient({ apiUrl: base, gatewayUrl: base });
    await expect(client.upload(failing(), 4)).rejects.toThrow(CorruptedDataError);
    answer = () => ({ status: 500, text: 'disk full' });
    await expect(client.upload(chunks('x'), 1)).rejects.toThrow('the IPFS API refused the upload (HTTP 500): disk full');
    await expect(createStorageClient({ apiUrl: 'http://127.0.0.1:1', gatewayUrl: base }).upload(chunks('x'), 1)).rejects.toThrow(
      StorageError,
    );
  });
});
