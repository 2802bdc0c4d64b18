import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InternalServerError, ListenError } from './errors.js';
import { sendError } from './json.js';
import { createLineLogger, type LineLogger, processLogger } from './logger.js';

/** A request handler; a promise it returns is awaited by {@link Listening.settled}. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => unknown;

export type ListenOptions = {
  /** 127.0.0.1 (default): loopback only. */
  host?: string | undefined;
  /** 0 (default) picks a free port. */
  port?: number | undefined;
  /** Where a handler that throws, or a server error after start, is reported (default: stderr); lines are redacted whatever the logger. */
  logger?: LineLogger | undefined;
};

export type Listening = {
  /** Base URL, e.g. http://127.0.0.1:13300 (an IPv6 address in brackets). */
  url: string;
  /** The address listened on. */
  host: string;
  /** The port listened on (the one picked when 0 was asked). */
  port: number;
  server: Server;
  /**
   * Stops listening and closes every connection, idle or in the middle of a request (their
   * clients see the connection cut); resolves once the server is closed. Calling it again waits
   * for the same close.
   */
  close(): Promise<void>;
  /** Resolves once every handler call started so far has finished (after close: nothing still runs). */
  settled(): Promise<void>;
};

/**
 * Listens with a request handler (or a server made elsewhere) and gives its URL and a close() that
 * does not wait for clients: idle keep-alive connections and requests in progress are cut. A port
 * that cannot be had is a {@link ListenError} that says what to do.
 *
 * @example
 * const served = await listen((req, res) => res.end('ok'), { port: 0 });
 * await fetch(served.url);
 * await served.close();
 */
export async function listen(target: Server | RequestHandler, options: ListenOptions = {}): Promise<Listening> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const logger = createLineLogger(options.logger ?? processLogger);
  const inFlight = new Set<Promise<unknown>>();
  const server =
    typeof target === 'function'
      ? createServer((request, response) => {
          // Called at once (an async wrapper only turns a throw into a rejection).
          const running = (async () => target(request, response))()
            .catch((error: unknown) => answerFailure(request, response, error, logger))
            .finally(() => inFlight.delete(running));
          inFlight.add(running);
        })
      : target;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    throw new ListenError(host, port, error);
  }
  // An error after start (rare: the OS refusing a connection) is reported, not thrown into nowhere.
  server.on('error', (error) => logger.error(`http: ${host}:${port}: ${error.name}: ${error.message.split('\n')[0]}`));
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`,
    host: address.address,
    port: address.port,
    server,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

/** A handler threw: answer 500 if nothing was sent yet, else cut the connection; report it either way. */
function answerFailure(request: IncomingMessage, response: ServerResponse, error: unknown, logger: LineLogger): void {
  logger.error(
    `http: ${request.method ?? 'GET'} request failed: ${error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : typeof error}`,
  );
  if (response.headersSent || response.destroyed || request.socket.destroyed) response.destroy();
  else sendError(response, new InternalServerError('server', error));
}
