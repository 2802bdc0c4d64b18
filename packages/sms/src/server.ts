import type { Server } from 'node:http';
import { BaseError } from '@confidant/errors';
import { createRouter, listen } from '@confidant/server';
import { httpStatusOf, InvalidSecretRequestError, MethodNotAllowedError, RateLimitedError, RouteNotFoundError } from './errors.js';
import { routes } from './routes/routes.js';
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
    super('the SMS failed to process the request', {
      hints: ['Retry; if it persists, the SMS operator will find the failure in its log.'],
      cause,
      kind: 'internal',
    });
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
  const handle = createRouter({
    name: 'sms',
    routes,
    context: { services },
    logger: services.logger,
    // Pushes are authenticated by signatures, not cookies: any origin may call (iExec's SMS allows all too).
    cors: { methods: ['GET', 'HEAD', 'POST', 'PUT'], headers: ['authorization', 'content-type'] },
    guard: ({ req, method }) => {
      if (!WRITES.has(method) || !services.rateLimiter) return;
      const decision = services.rateLimiter.take(req.socket.remoteAddress ?? 'unknown');
      if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
    },
    refusals: {
      notFound: ({ path }) => new RouteNotFoundError(path),
      methodNotAllowed: ({ method, route, allowed }) => new MethodNotAllowedError(method, route, allowed),
      invalidPath: ({ reason }) => new InvalidSecretRequestError(`the path ${reason}`, 'Encode the path segments with encodeURIComponent.'),
      internal: (cause) => new InternalSmsError(cause),
    },
    status: httpStatusOf,
    errorHeaders: (error) => (error instanceof RateLimitedError ? { 'retry-after': String(error.retryAfterSeconds) } : undefined),
  });
  const served = await listen(handle, { host: parameters.host, port: parameters.port, logger: services.logger });
  return { url: served.url, port: served.port, server: served.server, close: served.close };
}
