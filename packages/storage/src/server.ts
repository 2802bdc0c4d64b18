import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UnixFS } from '@helia/unixfs';
import { createRouter, type RouteHandler } from '@confidant/server';
import { handleAdd } from './add.js';
import { MethodNotAllowedError, StorageRequestError, StorageRouteError } from './errors.js';
import { handleGateway } from './gateway.js';

/**
 * The storage's request handler: kubo's `POST /api/v0/add` and the gateway's `GET|HEAD /ipfs/<cid>`.
 * Failures answer `{"error": {"name", "message", "hints"}}` with 400, 404, 405 or 500; once a file
 * is streaming, a failure cuts the connection instead. The promise settles when the request is done.
 *
 * @example
 * const handle = createStorageHandler(unixfs({ blockstore }));
 * createServer((req, res) => void handle(req, res));
 */
export function createStorageHandler(fs: UnixFS): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const gateway: RouteHandler = ({ req, res, url }) => handleGateway(fs, req, res, url.pathname);
  return createRouter({
    name: 'storage',
    routes: [
      { template: '/api/v0/add', handlers: { POST: ({ req, res, url }) => handleAdd(fs, req, res, url.searchParams) } },
      // Any path under /ipfs/ is the gateway's, which says what is wrong with one that is not /ipfs/<cid>.
      { template: '/ipfs/{cid}', pattern: /^\/ipfs\//, handlers: { GET: gateway, HEAD: gateway } },
    ],
    // Failures only (stderr): every read and upload of the devnet would be noise.
    accessLog: false,
    // Browsers upload protected data and download results here directly (the web app's pages are
    // on another origin); nothing here depends on who asks, so any origin may.
    cors: { methods: ['GET', 'HEAD', 'POST'], headers: ['content-type'] },
    refusals: {
      notFound: ({ method, path }) => new StorageRouteError(method, path),
      methodNotAllowed: ({ method, path, allowed }) => new MethodNotAllowedError(method, path, allowed),
      invalidPath: ({ target }) =>
        new StorageRequestError(`"${target.slice(0, 200)}" is not a valid request path`, 'Ask for /api/v0/add or /ipfs/<cid>.'),
    },
  });
}
