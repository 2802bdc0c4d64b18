import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRepositoryName } from '@confidant/oci';
import { type LineLogger, createLineLogger } from '@confidant/server';
import { cancelUpload, finishUpload, getBlob, patchUpload, startUpload, uploadStatus } from './blobRoutes.js';
import { DistributionError } from './errors.js';
import { getManifest, listTags, putManifest } from './manifestRoutes.js';
import type { RegistryStore } from './registryStore.js';
import type { Uploads } from './uploads.js';

/** What the routes share: the store, the uploads in progress and the limits. */
export type Registry = { store: RegistryStore; uploads: Uploads; maxManifestBytes: number };

/** What a route's handler gets: the request, its parsed URL, the repository name and the path's other captures. */
export type RegistryRequest = {
  registry: Registry;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The repository (checked against the spec's grammar); empty for `/v2/`. */
  name: string;
  /** The path's captures: the name first, then the digest, reference or upload id. */
  params: readonly string[];
};

type Handler = (request: RegistryRequest) => Promise<void> | void;
/** `named: false` for `/v2/` only: every other route's first capture is a repository name, checked before its handler runs. */
type Route = { pattern: RegExp; handlers: Partial<Record<string, Handler>>; named?: boolean };

const routes: readonly Route[] = [
  { pattern: /^\/v2\/?$/, handlers: { GET: base, HEAD: base }, named: false },
  { pattern: /^\/v2\/(.+)\/blobs\/uploads\/?$/, handlers: { POST: startUpload } },
  {
    pattern: /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/,
    handlers: { GET: uploadStatus, PATCH: patchUpload, PUT: finishUpload, DELETE: cancelUpload },
  },
  { pattern: /^\/v2\/(.+)\/blobs\/([^/]+)$/, handlers: { GET: getBlob, HEAD: getBlob } },
  { pattern: /^\/v2\/(.+)\/manifests\/([^/]+)$/, handlers: { GET: getManifest, HEAD: getManifest, PUT: putManifest } },
  { pattern: /^\/v2\/(.+)\/tags\/list$/, handlers: { GET: listTags } },
];

function base({ res }: RegistryRequest): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 }).end(res.req.method === 'HEAD' ? undefined : '{}');
}

/**
 * The registry's request handler (OCI distribution-spec): routes by path and method, and answers
 * every refusal as `{"errors": [{"code", "message", "detail"}]}` with its status; an unexpected
 * failure is a 500 whose details go to the log only.
 *
 * @example
 * const served = await listen(createRegistryHandler(registry, processLogger));
 */
export function createRegistryHandler(
  registry: Registry,
  logger: LineLogger,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const log = createLineLogger(logger);
  return async (req, res) => {
    const method = req.method ?? 'GET';
    res.setHeader('docker-distribution-api-version', 'registry/2.0');
    try {
      const url = new URL(req.url ?? '/', 'http://registry.invalid');
      const { route, params } = match(url.pathname);
      const handler = Object.hasOwn(route.handlers, method) ? route.handlers[method] : undefined;
      if (!handler) {
        const allow = Object.keys(route.handlers).join(', ');
        throw new DistributionError('UNSUPPORTED', `${method} is not served here`, {
          status: 405,
          headers: { allow },
          hint: `Use ${allow}.`,
        });
      }
      const name = params[0] ?? '';
      if (route.named !== false && !isRepositoryName(name))
        throw new DistributionError('NAME_INVALID', `"${name.slice(0, 100)}" is not a repository name`, {
          detail: { name: name.slice(0, 300) },
          hint: 'Use lowercase path components of letters and digits, joined by ".", "_", "__" or "-", e.g. confidant/hello.',
        });
      await handler({ registry, req, res, url, name, params });
    } catch (error) {
      answerFailure(req, res, error, log);
    }
  };
}

function match(pathname: string): { route: Route; params: string[] } {
  for (const route of routes) {
    const found = route.pattern.exec(pathname);
    if (!found) continue;
    try {
      return { route, params: found.slice(1).map((segment) => decodeURIComponent(segment ?? '')) };
    } catch {
      throw new DistributionError('NAME_INVALID', 'the path is not valid percent-encoding');
    }
  }
  throw new DistributionError('UNSUPPORTED', `no such endpoint: ${pathname.slice(0, 200)}`, {
    status: 404,
    hint: 'This registry serves the OCI distribution API under /v2/.',
  });
}

function answerFailure(req: IncomingMessage, res: ServerResponse, error: unknown, log: LineLogger): void {
  const refusal =
    error instanceof DistributionError
      ? error
      : new DistributionError('UNKNOWN', 'the registry failed to process the request', {
          status: 500,
          cause: error,
          hint: 'Retry; its log has the failure.',
        });
  const clientLeft = res.destroyed || req.socket.destroyed;
  if (refusal.status >= 500 && !clientLeft) log.error(`registry: ${req.method} failed: ${describe(error)}`);
  if (res.headersSent || clientLeft) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ errors: [{ code: refusal.code, message: refusal.shortMessage, detail: refusal.detail ?? {} }] });
  res.writeHead(refusal.status, {
    ...refusal.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...(refusal.closeConnection ? { connection: 'close' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const head = `${error.name}: ${error.message.split('\n')[0]}`;
  return error.cause instanceof Error ? `${head} (cause: ${error.cause.message.split('\n')[0]})` : head;
}
