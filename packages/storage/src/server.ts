import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UnixFS } from '@helia/unixfs';
import { BaseError } from '@confidant/errors';
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
  return async (request, response) => {
    const method = request.method ?? 'GET';
    const target = request.url ?? '/';
    // Browsers upload protected data and download results here directly (the web app's pages are
    // on another origin); nothing here depends on who asks, so any origin may.
    response.setHeader('access-control-allow-origin', '*');
    if (method === 'OPTIONS') {
      response.writeHead(204, { 'access-control-allow-methods': 'GET, HEAD, POST', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '600' });
      response.end();
      return;
    }
    try {
      const url = parseTarget(target);
      if (url.pathname === '/api/v0/add') {
        if (method !== 'POST') throw new MethodNotAllowedError(method, url.pathname, 'POST');
        await handleAdd(fs, request, response, url.searchParams);
      } else if (url.pathname.startsWith('/ipfs/')) {
        if (method !== 'GET' && method !== 'HEAD') throw new MethodNotAllowedError(method, url.pathname, 'GET, HEAD');
        await handleGateway(fs, request, response, url.pathname);
      } else {
        throw new StorageRouteError(method, url.pathname);
      }
    } catch (error) {
      sendError(request, response, target, error);
    }
  };
}

function parseTarget(target: string): URL {
  try {
    return new URL(target, 'http://storage');
  } catch {
    throw new StorageRequestError(`"${target.slice(0, 200)}" is not a valid request path`, 'Ask for /api/v0/add or /ipfs/<cid>.');
  }
}

const statusOfKind = { 'invalid-input': 400, 'not-found': 404 } as const;

function sendError(request: IncomingMessage, response: ServerResponse, target: string, error: unknown): void {
  // Too late for an answer (the file is streaming) or nobody to give it to (the client left).
  if (response.headersSent || response.destroyed || request.socket.destroyed) {
    response.destroy();
    return;
  }
  const status = error instanceof MethodNotAllowedError ? 405 : error instanceof BaseError && error.kind in statusOfKind ? statusOfKind[error.kind as keyof typeof statusOfKind] : 500;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  if (status === 500) process.stderr.write(`storage: ${request.method} ${target.split('?')[0]} failed: ${name}: ${message}\n`);
  response.writeHead(status, { 'content-type': 'application/json', ...(error instanceof MethodNotAllowedError ? { allow: error.allow } : {}) });
  response.end(`${JSON.stringify({ error: { name, message, hints: error instanceof BaseError ? error.hints : [] } })}\n`);
}
