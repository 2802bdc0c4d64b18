import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { UnixFS } from '@helia/unixfs';
import { openFile, parseCid } from './content.js';
import { StorageRequestError } from './errors.js';

/**
 * The gateway's `GET /ipfs/<cid>` (and `HEAD`): streams a file from the local blockstore with its
 * Content-Length, at the pace the client reads. Unknown content is a 404 at once: there is no network.
 *
 * @example
 * server.on('request', (req, res) => handleGateway(fs, req, res, new URL(req.url, 'http://x').pathname));
 */
export async function handleGateway(fs: UnixFS, request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
  const match = /^\/ipfs\/([^/]+)\/?$/.exec(path);
  if (!match?.[1])
    throw new StorageRequestError(
      `${path.slice(0, 200)} is not /ipfs/<cid>`,
      'Ask for /ipfs/<cid> with the Hash that POST /api/v0/add answered; paths inside a CID are not served.',
    );
  const cid = parseCid(match[1]);
  // Stop reading the blockstore as soon as the client goes away.
  const abort = new AbortController();
  setMaxListeners(Infinity, abort.signal); // one per block being read at once
  response.once('close', () => abort.abort());
  const file = await openFile(fs, cid, abort.signal);
  response.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': file.size.toString(),
    etag: `"${cid}"`,
    'cache-control': 'public, max-age=29030400, immutable',
    'x-ipfs-path': `/ipfs/${cid}`,
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  await pipeline(Readable.from(file.read(abort.signal)), response);
}
