import type { IncomingMessage, Server } from 'node:http';
import { getDeal, type PocoClient } from '@confidant/contracts';
import { BaseError } from '@confidant/errors';
import { createRouter, listen, sendJson } from '@confidant/server';
import { type Address, type Hex, isAddressEqual } from 'viem';
import { LogsForbiddenError, RouteNotFoundError, TaskUnknownError } from './errors.js';
import type { WorkerLogger } from './logger.js';
import { recoverTaskLogsSigner } from './logsRequest.js';
import type { TaskStore } from './store.js';

export type WorkerServer = {
  /** Base URL, e.g. http://127.0.0.1:13400 */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
};

export type StartWorkerServerParameters = {
  store: TaskStore;
  /** Reads deals (the requester of a task). */
  client: PocoClient;
  workerpool: Address;
  worker: Address;
  logger: WorkerLogger;
  host?: string | undefined;
  /** 0 (default) picks a free port. */
  port?: number | undefined;
};

/** An unexpected failure, answered without its details. */
class InternalWorkerError extends BaseError {
  override name = 'InternalWorkerError';
  constructor(cause: unknown) {
    super('the worker failed to process the request', {
      hints: ['Retry; if it persists, the operator will find the failure in the worker log.'],
      cause,
      kind: 'internal',
    });
  }
}

/**
 * Serves `GET /health` and `GET /tasks/{taskId}/logs` — the latter to the task's requester only,
 * on a signed request (see signTaskLogsRequest): 401 without a valid unexpired signature, 403 when
 * the signer is not the deal's requester on chain. Anything else is a 404, whatever the method.
 *
 * @example
 * const server = await startWorkerServer({ store, client, workerpool, worker, logger, port: 13400 });
 */
export async function startWorkerServer(p: StartWorkerServerParameters): Promise<WorkerServer> {
  const handle = createRouter({
    name: 'worker',
    routes: [
      {
        template: '/health',
        handlers: {
          GET: async ({ res }) =>
            sendJson(res, 200, { status: 'ok', workerpool: p.workerpool, worker: p.worker, tasks: await p.store.countByStatus() }),
        },
      },
      {
        // The route template only is logged: never the task id's signature or headers.
        template: '/tasks/{taskId}/logs',
        pattern: /^\/tasks\/(0x[0-9a-fA-F]{64})\/logs$/,
        handlers: {
          GET: async ({ req, res, params }) => {
            const taskId = (params[0] as string).toLowerCase() as Hex;
            const signer = await recoverTaskLogsSigner({
              taskId,
              authorization: header(req, 'authorization'),
              expiresAt: header(req, 'x-expires-at'),
            });
            const task = await p.store.task(taskId);
            if (!task) throw new TaskUnknownError(taskId);
            const deal = await getDeal(p.client, { dealId: task.dealId as Hex });
            if (!isAddressEqual(signer, deal.requester)) throw new LogsForbiddenError(signer);
            sendJson(res, 200, { taskId, status: task.status, attempts: task.attempts, cause: task.cause, logs: task.logs });
          },
        },
      },
    ],
    logger: p.logger,
    refusals: {
      notFound: ({ method, path }) => new RouteNotFoundError(method, path),
      methodNotAllowed: 'not-found',
      internal: (cause) => new InternalWorkerError(cause),
    },
  });
  const served = await listen(handle, { host: p.host, port: p.port, logger: p.logger });
  return { url: served.url, port: served.port, server: served.server, close: served.close };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
