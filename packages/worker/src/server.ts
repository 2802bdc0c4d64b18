import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getDeal, type PocoClient } from '@confidant/contracts';
import { BaseError } from '@confidant/errors';
import { type Address, type Hex, isAddressEqual } from 'viem';
import { httpStatusOf, LogsForbiddenError, RouteNotFoundError, TaskUnknownError } from './errors.js';
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
    super('the worker failed to process the request', { hints: ['Retry; if it persists, the operator will find the failure in the worker log.'], cause, kind: 'internal' });
  }
}

const LOGS_ROUTE = /^\/tasks\/(0x[0-9a-fA-F]{64})\/logs$/;

/**
 * Serves `GET /health` and `GET /tasks/{taskId}/logs` — the latter to the task's requester only,
 * on a signed request (see signTaskLogsRequest): 401 without a valid unexpired signature, 403 when
 * the signer is not the deal's requester on chain.
 *
 * @example
 * const server = await startWorkerServer({ store, client, workerpool, worker, logger, port: 13400 });
 */
export async function startWorkerServer(parameters: StartWorkerServerParameters): Promise<WorkerServer> {
  const server = createServer((req, res) => void handle(parameters, req, res));
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

async function handle(p: StartWorkerServerParameters, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  let label = '(no route)';
  try {
    const { pathname } = new URL(req.url ?? '/', 'http://worker.invalid');
    if (method === 'GET' && pathname === '/health') {
      label = '/health';
      sendJson(res, 200, { status: 'ok', workerpool: p.workerpool, worker: p.worker, tasks: await p.store.countByStatus() });
      return;
    }
    const logs = LOGS_ROUTE.exec(pathname);
    if (method !== 'GET' || !logs) throw new RouteNotFoundError(method, pathname);
    label = '/tasks/{taskId}/logs';
    const taskId = (logs[1] as string).toLowerCase() as Hex;
    const signer = await recoverTaskLogsSigner({ taskId, authorization: header(req, 'authorization'), expiresAt: header(req, 'x-expires-at') });
    const task = await p.store.task(taskId);
    if (!task) throw new TaskUnknownError(taskId);
    const deal = await getDeal(p.client, { dealId: task.dealId as Hex });
    if (!isAddressEqual(signer, deal.requester)) throw new LogsForbiddenError(signer);
    sendJson(res, 200, { taskId, status: task.status, attempts: task.attempts, cause: task.cause, logs: task.logs });
  } catch (error) {
    const refusal = error instanceof BaseError ? error : new InternalWorkerError(error);
    if (refusal.kind === 'internal' || refusal.kind === 'unavailable') p.logger.error(`worker: ${method} ${label} failed: ${error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : typeof error}`);
    const body = { name: refusal.name, message: refusal.shortMessage, ...(refusal.hints.length > 0 ? { hints: refusal.hints } : {}) };
    if (!res.headersSent) sendJson(res, httpStatusOf(refusal), { error: body });
    else res.destroy();
  } finally {
    // The route template only: never the task id's signature or headers.
    p.logger.info(`worker: ${method} ${label} ${res.statusCode}`);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

