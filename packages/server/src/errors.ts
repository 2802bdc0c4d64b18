import { BaseError } from '@confidant/errors';

// Messages name what failed and what to do next; never a request's headers or body.

const listenReasons: Record<string, { reason: string; hint: (host: string, port: number) => string }> = {
  EADDRINUSE: {
    reason: 'the port is in use',
    hint: (_host, port) => `Stop the process that listens on port ${port}, or choose another port (0 picks a free one).`,
  },
  EACCES: {
    reason: 'permission denied',
    hint: (_host, port) => `Port ${port} needs privileges this process does not have: choose a port above 1023, or 0 for a free one.`,
  },
  EADDRNOTAVAIL: {
    reason: 'the address is not one of this machine',
    hint: (host) => `${host} is not an address of this machine: use 127.0.0.1 (loopback only) or 0.0.0.0 (every interface).`,
  },
  ENOTFOUND: {
    reason: 'the host name does not resolve',
    hint: (host) => `${host} does not resolve: use an IP address such as 127.0.0.1.`,
  },
};

/**
 * A server could not listen on its host and port (the port is taken, privileged, or the host is not
 * this machine's). `code` is Node's (`EADDRINUSE`…); the original error is the cause.
 */
export class ListenError extends BaseError {
  override name = 'ListenError';
  readonly host: string;
  readonly port: number;
  readonly code: string | undefined;
  constructor(host: string, port: number, cause: unknown) {
    const code = typeof (cause as { code?: unknown } | undefined)?.code === 'string' ? (cause as { code: string }).code : undefined;
    const known = code === undefined ? undefined : listenReasons[code];
    super(`cannot listen on ${host}:${port}: ${known?.reason ?? (cause instanceof Error ? cause.message : String(cause))}`, {
      hints: [known?.hint(host, port) ?? 'Check the host and port settings; 0 picks a free port.'],
      cause,
      kind: 'unavailable',
    });
    this.host = host;
    this.port = port;
    this.code = code;
  }
}

/** No route of the server has this path (or, for servers that say so, not with this method). */
export class RouteNotFoundError extends BaseError {
  override name = 'RouteNotFoundError';
  constructor(method: string, path: string, served: readonly string[]) {
    super(`no such endpoint: ${method} ${path.slice(0, 200)}`, {
      hints: [served.length > 0 ? `This server serves ${served.join(', ')}.` : 'This server serves no route.'],
      kind: 'not-found',
    });
  }
}

/** The path exists, but not with this method; `allowed` lists those it takes (the Allow header). */
export class MethodNotAllowedError extends BaseError {
  override name = 'MethodNotAllowedError';
  readonly allowed: readonly string[];
  constructor(method: string, route: string, allowed: readonly string[]) {
    super(`${method} is not served on ${route}`, { hints: [`Use ${allowed.join(', ')}.`], kind: 'invalid-input' });
    this.allowed = allowed;
  }
}

/** The request's target is not a path the server can read (not a URL path, or bad percent-encoding). */
export class InvalidRequestPathError extends BaseError {
  override name = 'InvalidRequestPathError';
  constructor(reason: string) {
    super(`the request path ${reason}`, {
      hints: ['Send an absolute path such as /health, each segment percent-encoded (encodeURIComponent).'],
      kind: 'invalid-input',
    });
  }
}

/** An unexpected failure while serving a request, answered without its details (the server's log has them). */
export class InternalServerError extends BaseError {
  override name = 'InternalServerError';
  constructor(service: string, cause: unknown) {
    super(`the ${service} failed to process the request`, {
      hints: [`Retry; if it persists, the ${service}'s operator will find the failure in its log.`],
      cause,
      kind: 'internal',
    });
  }
}

/** A process's start (or stop) failed with an error that does not explain itself (not a BaseError). */
export class MainFailedError extends BaseError {
  override name = 'MainFailedError';
  constructor(name: string, phase: 'start' | 'stop', cause: unknown) {
    const what = cause instanceof Error ? `${cause.name}: ${cause.message.split('\n')[0]}` : String(cause);
    super(`the ${name} ${phase === 'start' ? 'did not start' : 'did not stop cleanly'}: ${what}`, {
      hints: [
        phase === 'start'
          ? 'Check its settings (environment variables) and the lines above; if they are right, report this output: the failure has no explanation of its own.'
          : 'Its data may need a check before the next start; if this repeats, report this output.',
      ],
      cause,
      kind: 'internal',
    });
  }
}
