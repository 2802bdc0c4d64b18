import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58(bytes: Uint8Array): string {
  let value = BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  let out = '';
  while (value > 0n) {
    out = (ALPHABET[Number(value % 58n)] as string) + out;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}

/** A CIDv0-shaped name for bytes: base58 of the sha2-256 multihash of the raw bytes (not a dag-pb CID). */
function fakeCid(bytes: Uint8Array): string {
  return base58(Buffer.concat([Buffer.from([0x12, 0x20]), createHash('sha256').update(bytes).digest()]));
}

/**
 * A loopback stand-in for IPFS: kubo's `POST /api/v0/add` (one multipart file) and `GET /ipfs/<cid>`,
 * with content kept in memory (`blobs`, `put`) for the tests to plant and inspect. The enclave may not
 * depend on the real storage (`@confidant/storage` is a service); the one IPFS client the runner uses
 * is tested against the real one in packages/storage/test/ipfsClient.test.ts.
 */
export type TestStorage = {
  apiUrl: string;
  gatewayUrl: string;
  blobs: Map<string, Uint8Array>;
  put(bytes: Uint8Array): string;
  close(): Promise<void>;
};

/** The first file of a multipart body, read by the platform's own parser (undici's FormData). */
async function firstFilePart(body: Buffer, contentType: string): Promise<Uint8Array | undefined> {
  try {
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    const file = [...form.values()].find((value) => typeof value !== 'string');
    return file === undefined || typeof file === 'string' ? undefined : new Uint8Array(await file.arrayBuffer());
  } catch {
    return undefined;
  }
}

export async function startTestStorage(): Promise<TestStorage> {
  const blobs = new Map<string, Uint8Array>();
  const put = (bytes: Uint8Array) => {
    const cid = fakeCid(bytes);
    blobs.set(cid, new Uint8Array(bytes));
    return cid;
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (request.method === 'POST' && url.pathname === '/api/v0/add') {
        const file = await firstFilePart(Buffer.concat(chunks), request.headers['content-type'] ?? '');
        if (!file) {
          response.writeHead(400).end('no file part');
          return;
        }
        const cid = put(file);
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(`${JSON.stringify({ Name: 'file', Hash: cid, Size: String(file.length) })}\n`);
        return;
      }
      const match = /^\/ipfs\/([A-Za-z0-9]+)$/.exec(url.pathname);
      const blob = match ? blobs.get(match[1] as string) : undefined;
      if (request.method === 'GET' && blob) {
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length }).end(Buffer.from(blob));
        return;
      }
      response.writeHead(404).end('not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: base,
    gatewayUrl: base,
    blobs,
    put,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
