import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { listen, processLogger } from '@confidant/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { type ApiServices, createContext } from './context.js';
import { handleMarket, isMarketPath } from './market/handler.js';
import { createResponseCache } from './responseCache.js';
import { appRouter } from './router.js';
import { createSubgraphHandler, SUBGRAPH_PATH } from './subgraph/handler.js';
import { createPocoSubgraphHandler, POCO_SUBGRAPH_PATH } from './subgraph/pocoHandler.js';

export type ApiServer = {
  /** Base URL of the tRPC endpoint, e.g. http://127.0.0.1:4000/trpc */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
};

export type StartApiServerParameters = {
  services: ApiServices;
  host?: string | undefined;
  /** 0 (default) picks a free port. */
  port?: number | undefined;
  /** Origins allowed to call the API from a browser (the web app). */
  allowedOrigins?: readonly string[] | undefined;
  /** How long public catalogue and orderbook answers are shared, in ms (0: never). Default 1000. */
  cacheTtlMs?: number | undefined;
  /** The IPFS gateway the PoCo subgraph reads bulk requests from (without one, bulk slices are errors). */
  ipfsGatewayUrl?: string | undefined;
};

/**
 * Serves the API over HTTP on loopback: tRPC under `/trpc`, `/health`, the orderbook through
 * iExec's market API at the root (`/apporders`, `/challenge`…, see `market/handler.ts`), and the
 * DataProtector and PoCo subgraphs (`/subgraphs/dataprotector`, `/subgraphs/poco`).
 *
 * @example
 * const api = await startApiServer({ services, port: 4000 });
 * console.log(api.url);
 */
export async function startApiServer(parameters: StartApiServerParameters): Promise<ApiServer> {
  const handler = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext: ({ req, res }) => createContext(parameters.services, req, res),
    onError({ error, path }) {
      // Internal failures are logged by name and message only (redacted): requests may carry signatures and keys.
      if (error.code === 'INTERNAL_SERVER_ERROR')
        processLogger.error(`api: ${path ?? '?'} failed: ${error.cause?.name ?? error.name}: ${error.cause?.message ?? error.message}`);
    },
  });
  const allowed = new Set(parameters.allowedOrigins ?? []);
  const subgraph = createSubgraphHandler(parameters.services.db);
  const pocoSubgraph = createPocoSubgraphHandler(parameters.services, { ipfsGatewayUrl: parameters.ipfsGatewayUrl });
  const cache = createResponseCache({ ttlMs: parameters.cacheTtlMs ?? 1_000 });
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-allow-headers', 'content-type, authorization, trpc-accept');
      // The market door's writes (publish POST, unpublish PUT, with `authorization`) from a browser wallet.
      res.setHeader('access-control-allow-methods', 'GET, POST, PUT');
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://api').pathname;
    if (pathname === SUBGRAPH_PATH) return subgraph(req, res);
    if (pathname === POCO_SUBGRAPH_PATH) return pocoSubgraph(req, res);
    // A write (a market publish or unpublish, a tRPC mutation) is read back at once, by anyone.
    if (req.method === 'POST' || req.method === 'PUT') res.on('finish', () => cache.forget());
    if (isMarketPath(pathname)) {
      // The same orderbook through iExec's market API (`iexecGatewayURL` = this server's origin).
      cache.serve(req, res, (request, response) => void handleMarket(parameters.services, request, response));
      return;
    }
    if (!req.url?.startsWith('/trpc/')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found: the API is under /trpc"}');
      return;
    }
    cache.serve(req, res, handler);
  };
  const served = await listen(handle, { host: parameters.host, port: parameters.port });
  return { url: `${served.url}/trpc`, port: served.port, server: served.server, close: served.close };
}
