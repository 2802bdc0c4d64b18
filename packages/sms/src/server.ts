import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BaseError } from '@confidant/errors';
import { MethodNotAllowedError, RateLimitedError, RouteNotFoundError } from './errors.js';
import { sendError } from './responses.js';
import { matchRoute } from './routes/routes.js';
import type { SmsServices } from './services.js';

export type SmsServer = {
  /** Base URL, e.g. http://127.0.0.1:13300 */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
};

export type StartSmsServerParameters = {
  services: SmsServices;
  host?: string | undefined;
  /** 0 (default) picks a free port. */
  port?: number | undefined;
};

/** An unexpected failure, answered without its details (they are logged by name and first line only). */
class InternalSmsError extends BaseError {
  override name = 'InternalSmsError';
  constructor(cause: unknown) {
    super('the SMS failed to process the request', { hints: ['Retry; if it persists, the SMS operator will find the failure in its log.'], cause, kind: 'internal' });
  }
}

const WRITES = new Set(['POST', 'PUT']);

/**
 * Serves the SMS push API over HTTP (iExec-compatible): `/secrets/web3`, `/secrets/web2`,
 * `/requesters/{address}/secrets/{key}`, `/apps/{address}/secrets`; the release side to attested
 * enclaves: `/tee/challenges/{taskId}`, `/tee/sessions`; and `/health`.
 *
 * @example
 * const sms = await startSmsServer({ services, port: 13300 });
 * console.log(sms.url);
 */
export async function startSmsServer(parameters: StartSmsServerParameters): Promise<SmsServer> {
  const { services } = parameters;
  const server = createServer((req, res) => void handle(services, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(parameters.port ?? 0, parameters.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(services: SmsServices, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const method = req.method ?? 'GET';
  // The log names the route, never the request's own path, query, headers or body.
  let label = '(no route)';
  let outcome = '';
  // Pushes are authenticated by signatures, not cookies: any origin may call (iExec's SMS allows all too).
  res.setHeader('access-control-allow-origin', '*');
  try {
    if (method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, HEAD, POST, PUT');
      res.setHeader('access-control-allow-headers', 'authorization, content-type');
      res.setHeader('access-control-max-age', '600');
      res.writeHead(204).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://sms.invalid');
    const match = matchRoute(url.pathname);
    if (!match) throw new RouteNotFoundError(url.pathname);
    label = match.route.template;
    const handler = match.route.handlers[method as keyof typeof match.route.handlers];
    if (!handler) throw new MethodNotAllowedError(method, match.route.template, Object.keys(match.route.handlers));
    if (WRITES.has(method) && services.rateLimiter) {
      const decision = services.rateLimiter.take(req.socket.remoteAddress ?? 'unknown');
      if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
    }
    await handler({ req, res, url, params: match.params, services });
  } catch (error) {
    const refusal = error instanceof BaseError ? error : new InternalSmsError(error);
    const serverSide = refusal.kind === 'internal' || (refusal.kind === 'unavailable' && !(refusal instanceof RateLimitedError));
    if (serverSide) services.logger.error(`sms: ${method} ${label} failed: ${firstLine(error)}`);
    outcome = ` ${refusal.name}`;
    if (!res.headersSent) sendError(res, method, refusal);
    else res.destroy();
  } finally {
    services.logger.info(`sms: ${method} ${label} ${res.statusCode}${outcome} ${Math.round(performance.now() - started)}ms`);
  }
}

function firstLine(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.name}: ${error.cause.message.split('\n')[0]})` : '';
  return `${error.name}: ${error.message.split('\n')[0]}${cause}`;
}
