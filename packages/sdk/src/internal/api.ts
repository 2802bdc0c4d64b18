import type { AppRouter } from '@confidant/api';
import { contractErrorRevivers } from '@confidant/contracts';
import { BaseError, type BaseErrorKind, reviveError } from '@confidant/errors';
import { apiErrorRevivers } from '@confidant/errors/api';
import { createTRPCClient, httpLink, TRPCClientError, type TRPCClient } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import superjson from 'superjson';
import { ApiRequestError } from '../errors.js';

/** What each procedure of the marketplace API takes, by router and name: `ApiInputs['apps']['list']`. */
export type ApiInputs = inferRouterInputs<AppRouter>;
/** What each procedure of the marketplace API answers, by router and name: `ApiOutputs['apps']['get']`. */
export type ApiOutputs = inferRouterOutputs<AppRouter>;

/**
 * The marketplace API over tRPC, typed by its router: `api.apps.get.query({ address })`. A refusal
 * comes back as the error class the API threw (`NotIndexedError`, `NotOwnerError`, …, rebuilt from
 * the name and fields it sent, with an `ApiRequestError` as its cause); any other failure as an
 * `ApiRequestError` carrying the API's error name, kind, hints and HTTP status.
 */
export type ApiClient = TRPCClient<AppRouter> & {
  /** The session token used from now on (`undefined`: signed out). */
  setToken(token: string | undefined): void;
  hasToken(): boolean;
};

const KINDS: Record<string, BaseErrorKind> = {
  BAD_REQUEST: 'invalid-input',
  UNAUTHORIZED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not-found',
  CONFLICT: 'conflict',
  TOO_MANY_REQUESTS: 'unavailable',
};

/** The API answered a body that is not JSON: kept with its status, for the caller's error. */
class NotJsonAnswer extends BaseError {
  override name = 'NotJsonAnswer';
  constructor(
    readonly status: number,
    cause: unknown,
  ) {
    super(`the API answered HTTP ${status} without JSON`, {
      hints: ['Check that the API URL points at the marketplace API (…/trpc).'],
      kind: 'unavailable',
      cause,
    });
  }
}

// Every error class a marketplace API call may answer with, by name.
const revivers = { ...apiErrorRevivers, ...contractErrorRevivers };

/**
 * The API's failure as the class it threw, rebuilt from its name and fields, when this SDK knows it;
 * otherwise as `ApiRequestError` (its message, error name, kind, hints and HTTP status kept).
 */
function toApiError(procedure: string, url: string, error: unknown): BaseError {
  if (!(error instanceof TRPCClientError))
    return new ApiRequestError(procedure, `the API at ${url} could not be reached`, { reason: 'unreachable', cause: error });
  const data = (error.data ?? {}) as { code?: string; errorName?: string; fields?: unknown; hints?: string[] };
  const response = (error.meta as { response?: Response } | undefined)?.response;
  const notJson = error.cause instanceof NotJsonAnswer ? error.cause : undefined;
  const httpStatus = notJson?.status ?? response?.status;
  const reason = notJson ? 'not-json' : data.code ? 'refused' : httpStatus !== undefined ? 'malformed' : 'unreachable';
  const request = new ApiRequestError(procedure, error.message, {
    hints: data.hints,
    kind: data.code ? KINDS[data.code] : 'unavailable',
    errorName: data.errorName,
    httpStatus,
    reason,
    cause: error,
  });
  if (reason !== 'refused') return request;
  return reviveError(revivers, data.errorName, data.fields, { details: request.details, cause: request }) ?? request;
}

/** A fetch whose answers' `.json()` failures say the status they came with. */
function withJsonStatus(base: typeof fetch | undefined, timeoutMs: number | undefined): typeof fetch {
  return async (input, init) => {
    const response = await (base ?? globalThis.fetch)(
      input,
      timeoutMs === undefined ? init : { ...init, signal: AbortSignal.timeout(timeoutMs) },
    );
    const json = response.json.bind(response);
    Object.defineProperty(response, 'json', {
      value: () =>
        json().catch((cause: unknown) => {
          throw new NotJsonAnswer(response.status, cause);
        }),
    });
    return response;
  };
}

const CALLS = new Set(['query', 'mutate']);

/** Wraps each `.query` / `.mutate` of a tRPC proxy so that its errors become typed. */
function typedErrors<proxy extends object>(target: proxy, url: string, path: string[] = []): proxy {
  return new Proxy(target, {
    get(inner, property, receiver) {
      const value = Reflect.get(inner, property, receiver) as unknown;
      if (typeof property !== 'string') return value;
      if (CALLS.has(property) && typeof value === 'function') {
        const procedure = path.join('.');
        return (...args: unknown[]) =>
          (value as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
            throw toApiError(procedure, url, error);
          });
      }
      return value !== null && (typeof value === 'object' || typeof value === 'function')
        ? typedErrors(value as object, url, [...path, property])
        : value;
    },
  });
}

/**
 * A typed client of the marketplace API (its `…/trpc` URL), the only one in this repository: the
 * SDK, the web app, the CLI, the worker and the SMS all use it, so a changed procedure breaks their
 * typecheck.
 *
 * @param options.sessionOutside the endpoint carries a session already (a web app's same-origin
 * proxy with its HttpOnly session cookie): operations do not sign in themselves.
 * @example
 * const api = createApiClient('http://127.0.0.1:4000/trpc');
 * const { items } = await api.apps.list.query({ q: 'email' });
 */
export function createApiClient(
  url: string,
  fetchImpl?: typeof fetch,
  options: { sessionOutside?: boolean; timeoutMs?: number } = {},
): ApiClient {
  let token: string | undefined;
  const trpc = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url,
        transformer: superjson,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
        fetch: withJsonStatus(fetchImpl, options.timeoutMs),
      }),
    ],
  });
  const extras = {
    setToken: (value: string | undefined) => void (token = value),
    hasToken: () => options.sessionOutside === true || token !== undefined,
  };
  const typed = typedErrors(trpc, url);
  return new Proxy(typed, {
    get: (inner, property, receiver) =>
      property in extras ? extras[property as keyof typeof extras] : Reflect.get(inner, property, receiver),
  }) as ApiClient;
}
