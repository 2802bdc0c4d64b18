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
export function fakeCid(bytes: Uint8Array): string {
  return base58(Buffer.concat([Buffer.from([0x12, 0x20]), createHash('sha256').update(bytes).digest()]));
}

/** A loopback stand-in for IPFS: kubo's `POST /api/v0/add` (one multipart file) and `GET /ipfs/<cid>`. */
export type TestStorage = {
  apiUrl: string;
  gatewayUrl: string;
  blobs: Map<string, Uint8Array>;
  put(bytes: Uint8Array): string;
  close(): Promise<void>;
};

function firstFilePart(body: Buffer, contentType: string): Buffer | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = body.indexOf(delimiter);
  const headersEnd = body.indexOf('\r\n\r\n', start);
  const end = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd);
  if (start < 0 || headersEnd < 0 || end < 0) return undefined;
  return body.subarray(headersEnd + 4, end);
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
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (request.method === 'POST' && url.pathname === '/api/v0/add') {
        const file = firstFilePart(Buffer.concat(chunks), request.headers['content-type'] ?? '');
        if (!file) {
          response.writeHead(400).end('no file part');
          return;
        }
        const cid = put(file);
        response.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify({ Name: 'file', Hash: cid, Size: String(file.length) })}\n`);
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
