import type { ServerResponse } from 'node:http';
import type { BaseError } from '@confidant/errors';
import { httpStatusOf, MethodNotAllowedError, RateLimitedError } from './errors.js';

/**
 * Answers with a JSON body (none to a HEAD request), never cached.
 *
 * @example
 * sendJson(res, 'GET', 200, { ok: true });
 */
export function sendJson(res: ServerResponse, method: string | undefined, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(method === 'HEAD' ? undefined : text);
}

/**
 * Answers 204 No Content (stored, or present for a HEAD).
 *
 * @example
 * sendNoContent(res);
 */
export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204, { 'cache-control': 'no-store' }).end();
}

/**
 * Answers a refusal as `{"error":{"name","message","hints"}}` with the status of its kind.
 *
 * @example
 * sendError(res, req.method, new SecretExistsError('the key of dataset 0x…', false)); // 409
 */
export function sendError(res: ServerResponse, method: string | undefined, error: BaseError): void {
  if (error instanceof RateLimitedError) res.setHeader('retry-after', String(error.retryAfterSeconds));
  if (error instanceof MethodNotAllowedError) res.setHeader('allow', error.allowed.join(', '));
  const body = { name: error.name, message: error.shortMessage, ...(error.hints.length > 0 ? { hints: error.hints } : {}) };
  sendJson(res, method, httpStatusOf(error), { error: body });
}
