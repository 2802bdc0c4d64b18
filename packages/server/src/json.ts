import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { BaseError, BaseErrorKind } from '@confidant/errors';

/**
 * The one table from an error's kind to its HTTP status. A service that answers a kind otherwise
 * passes an override (see {@link httpStatusOf}); statuses no kind says (405, 413, 429) belong to
 * the error's own service.
 */
export const httpStatuses: Readonly<Record<BaseErrorKind, number>> = Object.freeze({
  'invalid-input': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
});

/** Entries of {@link httpStatuses} a service answers otherwise. */
export type HttpStatusOverrides = Partial<Record<BaseErrorKind, number>>;

/**
 * The HTTP status of an error, from its kind: the shared table, or the service's override.
 *
 * @example
 * httpStatusOf(new BaseError('no such task', { kind: 'not-found' })); // 404
 * httpStatusOf(error, { unavailable: 502 }); // a service that answers 'unavailable' with 502
 */
export function httpStatusOf(error: BaseError, overrides?: HttpStatusOverrides): number {
  return overrides?.[error.kind] ?? httpStatuses[error.kind];
}

/** The JSON body of a refusal: the error's name, its short message and, when it has some, its hints. */
export type ErrorBody = { error: { name: string; message: string; hints?: readonly string[] } };

/**
 * The body every service answers a refusal with: `{"error": {"name", "message", "hints"?}}` — the
 * short message only (never details or the cause), hints left out when there are none.
 *
 * @example
 * errorBody(new SecretExistsError('the key of dataset 0x…', false));
 * // { error: { name: 'SecretExistsError', message: 'the key of dataset 0x… is already set…', hints: ['…'] } }
 */
export function errorBody(error: BaseError): ErrorBody {
  return { error: { name: error.name, message: error.shortMessage, ...(error.hints.length > 0 ? { hints: error.hints } : {}) } };
}

/**
 * Answers with a JSON body (none to a HEAD request, with the length a GET would have), never cached.
 *
 * @example
 * sendJson(res, 200, { ok: true });
 */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(response.req?.method === 'HEAD' ? undefined : text);
}

/**
 * Answers 204 No Content, never cached (a write that was stored, a HEAD that found something).
 *
 * @example
 * sendNoContent(res);
 */
export function sendNoContent(response: ServerResponse, headers: OutgoingHttpHeaders = {}): void {
  response.writeHead(204, { 'cache-control': 'no-store', ...headers }).end();
}

export type SendErrorOptions = {
  /** A status the error's kind does not say (405, 413, 429…); default: {@link httpStatusOf}. */
  status?: number | undefined;
  /** The service's entries of the kind table, when it answers a kind otherwise. */
  statuses?: HttpStatusOverrides | undefined;
  /** Headers the refusal needs: `allow`, `retry-after`… */
  headers?: OutgoingHttpHeaders | undefined;
};

/**
 * Answers a refusal as `{"error": {"name", "message", "hints"?}}` (see {@link errorBody}) with the
 * status of its kind, or the one given.
 *
 * @example
 * sendError(res, new TaskUnknownError(taskId)); // 404
 * sendError(res, new RateLimitedError(30), { status: 429, headers: { 'retry-after': '30' } });
 */
export function sendError(response: ServerResponse, error: BaseError, options: SendErrorOptions = {}): void {
  sendJson(response, options.status ?? httpStatusOf(error, options.statuses), errorBody(error), options.headers);
}
