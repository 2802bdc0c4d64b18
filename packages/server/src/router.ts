import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { BaseError } from '@confidant/errors';
import { InternalServerError, InvalidRequestPathError, MethodNotAllowedError, RouteNotFoundError } from './errors.js';
import { type HttpStatusOverrides, httpStatusOf, sendError } from './json.js';
import { createLineLogger, type LineLogger, processLogger } from './logger.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What every handler gets: the request, the response, the parsed URL and the path's captured segments. */
export type RouteRequest = {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  /** The path's captured segments (the template's `{name}`s, or the pattern's groups), URL-decoded. */
  params: readonly string[];
};

/** A route's handler for one method; it answers, or throws a BaseError the router answers as JSON. */
export type RouteHandler<Context extends object = object> = (request: RouteRequest & Context) => Promise<void> | void;

export type Route<Context extends object = object> = {
  /** The path with `{name}` for a segment, e.g. `/tasks/{taskId}/logs`: how logs and refusals name the route, never the request's own path. */
  template: string;
  /** Matches the whole path, its groups being the params; default: the template, each `{name}` one segment. */
  pattern?: RegExp | undefined;
  handlers: Partial<Record<HttpMethod, RouteHandler<Context>>>;
};

/** CORS for services whose answers do not depend on who asks: any origin, these methods and request headers. */
export type CorsOptions = {
  methods: readonly string[];
  headers: readonly string[];
  /** How long a browser keeps a preflight's answer (default 600 s). */
  maxAgeSeconds?: number | undefined;
};

/** The refusals the router answers itself; each service may name them its own way. */
export type RouterRefusals = {
  /** No route has the path (answered 404). Default: {@link RouteNotFoundError}. */
  notFound?: ((request: { method: string; path: string }) => BaseError) | undefined;
  /**
   * A route has the path but not the method (answered 405 with `Allow`). Default:
   * {@link MethodNotAllowedError}; `'not-found'` answers these as unknown routes (404) instead.
   */
  methodNotAllowed?:
    | ((request: { method: string; path: string; route: string; allowed: readonly string[] }) => BaseError)
    | 'not-found'
    | undefined;
  /** The target is not a URL path, or a segment is not valid percent-encoding. Default: {@link InvalidRequestPathError}. */
  invalidPath?: ((request: { target: string; reason: string }) => BaseError) | undefined;
  /** Wraps anything thrown that is not a BaseError, answered without its details. Default: {@link InternalServerError}. */
  internal?: ((cause: unknown) => BaseError) | undefined;
};

export type RouterOptions<Context extends object> = {
  /** The service's name: it starts every log line (`sms: POST /secrets/web3 204 3ms`). */
  name: string;
  /** Tried in order: the first whose pattern matches the path serves it. */
  routes: readonly Route<Context>[];
  /** Default: stdout and stderr. Lines are redacted whatever the logger. */
  logger?: LineLogger | undefined;
  /** One info line per request (method, route template, status, refusal, duration); default true. Failures answered 5xx are logged as errors either way (unless the client left). */
  accessLog?: boolean | undefined;
  /** Any origin may call: `access-control-allow-origin: *` on every answer, preflights answered 204. */
  cors?: CorsOptions | undefined;
  /** Runs once the route and method are known, before the handler (e.g. a rate limit); throws to refuse. */
  guard?: ((request: RouteRequest & Context) => Promise<void> | void) | undefined;
  refusals?: RouterRefusals | undefined;
  /** A status the error's kind does not say (413, 429…), or undefined for the kind's. */
  status?: ((error: BaseError) => number | undefined) | undefined;
  /** The service's entries of the kind-to-status table. */
  statuses?: HttpStatusOverrides | undefined;
  /** Headers a refusal needs (e.g. `retry-after`). */
  errorHeaders?: ((error: BaseError) => OutgoingHttpHeaders | undefined) | undefined;
} & (object extends Context
  ? { /** Given to every handler with the request. */ context?: Context | undefined }
  : { /** Given to every handler with the request. */ context: Context });

type Compiled<Context extends object> = { route: Route<Context>; pattern: RegExp; allowed: string[] };

/**
 * A JSON service's request handler: method + path pattern → handler, unknown paths answered 404
 * and unknown methods 405 (with `Allow`), every refusal `{"error": {"name", "message", "hints"?}}`
 * with its status, unexpected failures 500 without their details (logged, redacted), optional CORS,
 * and a log line per request that names the route template, never the request's own path.
 *
 * @example
 * const handle = createRouter({
 *   name: 'worker',
 *   routes: [{ template: '/health', handlers: { GET: ({ res }) => sendJson(res, 200, { status: 'ok' }) } }],
 * });
 * const served = await listen(handle, { port: 13400 });
 */
export function createRouter<Context extends object = object>(
  options: RouterOptions<Context>,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const compiled: Compiled<Context>[] = options.routes.map((route) => ({
    route,
    pattern: route.pattern ?? compileTemplate(route.template),
    allowed: Object.keys(route.handlers).filter((method) => route.handlers[method as HttpMethod] !== undefined),
  }));
  const served = compiled.flatMap(({ route, allowed }) => allowed.map((method) => `${method} ${route.template}`));
  const refusals = options.refusals ?? {};
  const notFound = refusals.notFound ?? (({ method, path }) => new RouteNotFoundError(method, path, served));
  const invalidPath = refusals.invalidPath ?? (({ reason }) => new InvalidRequestPathError(reason));
  const internal = refusals.internal ?? ((cause) => new InternalServerError(options.name, cause));
  const logger = createLineLogger(options.logger ?? processLogger);
  const context = ((options as { context?: Context }).context ?? {}) as Context;
  const cors = options.cors;

  return async (req, res) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    // The log names the route, never the request's own path, query, headers or body.
    let label = '(no route)';
    let outcome = '';
    // Refusals the router makes carry their own status (404, 405) and headers (Allow).
    let answer: { status: number; headers?: OutgoingHttpHeaders } | undefined;
    const refuse = (error: BaseError, status: number, headers?: OutgoingHttpHeaders) => {
      answer = { status, headers };
      return error;
    };
    if (cors) res.setHeader('access-control-allow-origin', '*');
    try {
      if (cors && method === 'OPTIONS') {
        res.setHeader('access-control-allow-methods', cors.methods.join(', '));
        res.setHeader('access-control-allow-headers', cors.headers.join(', '));
        res.setHeader('access-control-max-age', String(cors.maxAgeSeconds ?? 600));
        res.writeHead(204).end();
        return;
      }
      const target = req.url ?? '/';
      const url = parseTarget(target, options.name, (reason) => invalidPath({ target, reason }));
      const match = matchPath(compiled, url.pathname, (reason) => invalidPath({ target, reason }));
      if (!match) throw refuse(notFound({ method, path: url.pathname }), 404);
      label = match.compiled.route.template;
      const handler = Object.hasOwn(match.compiled.route.handlers, method)
        ? match.compiled.route.handlers[method as HttpMethod]
        : undefined;
      if (!handler) {
        const { allowed } = match.compiled;
        if (refusals.methodNotAllowed === 'not-found') throw refuse(notFound({ method, path: url.pathname }), 404);
        const refusal =
          refusals.methodNotAllowed?.({ method, path: url.pathname, route: label, allowed }) ??
          new MethodNotAllowedError(method, label, allowed);
        throw refuse(refusal, 405, { allow: allowed.join(', ') });
      }
      const request = { ...context, req, res, method, url, params: match.params };
      await options.guard?.(request);
      await handler(request);
    } catch (error) {
      const refusal = error instanceof BaseError ? error : internal(error);
      const status = answer?.status ?? options.status?.(refusal) ?? httpStatusOf(refusal, options.statuses);
      // A client that left makes its request fail (aborted, premature close): not the server's failure.
      const clientLeft = res.destroyed || req.socket.destroyed;
      if (status >= 500 && !clientLeft) logger.error(`${options.name}: ${method} ${label} failed: ${describeFailure(error)}`);
      outcome = ` ${refusal.name}`;
      // Too late for an answer (it is streaming) or nobody to give it to (the client left).
      if (res.headersSent || clientLeft) {
        if (!res.headersSent) res.statusCode = status;
        res.destroy();
      } else sendError(res, refusal, { status, headers: { ...answer?.headers, ...options.errorHeaders?.(refusal) } });
    } finally {
      if (options.accessLog ?? true)
        logger.info(`${options.name}: ${method} ${label} ${res.statusCode}${outcome} ${Math.round(performance.now() - started)}ms`);
    }
  };
}

/**
 * A route template as the pattern that matches it: each `{name}` is one non-empty segment.
 *
 * @example
 * compileTemplate('/apps/{app}/secrets').exec('/apps/0xabc/secrets')?.[1]; // '0xabc'
 */
export function compileTemplate(template: string): RegExp {
  const source = template
    .split(/(\{[^/{}]+\})/)
    .map((part) => (/^\{[^/{}]+\}$/.test(part) ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

function parseTarget(target: string, name: string, invalid: (reason: string) => BaseError): URL {
  try {
    return new URL(target, `http://${name}.invalid`);
  } catch {
    throw invalid('is not a URL path');
  }
}

function matchPath<Context extends object>(
  compiled: readonly Compiled<Context>[],
  pathname: string,
  invalid: (reason: string) => BaseError,
): { compiled: Compiled<Context>; params: string[] } | undefined {
  for (const candidate of compiled) {
    const found = candidate.pattern.exec(pathname);
    if (!found) continue;
    try {
      return { compiled: candidate, params: found.slice(1).map((segment) => decodeURIComponent(segment ?? '')) };
    } catch {
      throw invalid('is not valid percent-encoding');
    }
  }
  return undefined;
}

/** The failure's name and first line (and its cause's): what the log keeps of an unexpected error. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.name}: ${error.cause.message.split('\n')[0]})` : '';
  return `${error.name}: ${error.message.split('\n')[0]}${cause}`;
}
