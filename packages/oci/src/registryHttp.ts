import { ImageTooLargeError, RegistryRequestError } from './errors.js';
import { registryErrorsSchema, registryTokenSchema } from './schemas.js';

/** The fetch used to reach registries: the global one, or one a test or proxy provides. */
export type FetchFunction = (input: string | URL, init?: RequestInit) => Promise<Response>;

export type RegistrySessionOptions = {
  /** e.g. http://127.0.0.1:5000 (see registryBaseUrl). */
  baseUrl: string;
  repository: string;
  /** The access asked of a token service: `pull`, or `pull,push`. */
  actions: string;
  fetch?: FetchFunction | undefined;
};

type RegistryRequest = {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path under the base URL (`/v2/…`), or an absolute URL a registry answered (an upload's Location). */
  target: string;
  headers?: Record<string, string> | undefined;
  body?: Uint8Array | undefined;
  /** Statuses that are answers, not refusals. */
  expect: readonly number[];
};

/** Requests to one repository of one registry, with Docker's anonymous token flow when the registry asks for it. */
export type RegistrySession = {
  /** The registry's host and port, as errors name it. */
  registry: string;
  request(request: RegistryRequest): Promise<Response>;
  /** Resolves an upload Location (absolute or relative) against the registry. */
  resolve(target: string): URL;
};

/**
 * Opens a session with a registry's repository: requests that answer anything but the expected
 * statuses throw a RegistryRequestError with the registry's own error code, and a 401 with a
 * `Bearer` challenge is answered with an anonymous token, then retried once (so public images pull from Docker
 * Hub, GHCR…). The token is kept for the session only and never reaches an error or a log.
 *
 * @example
 * const session = createRegistrySession({ baseUrl: 'https://registry-1.docker.io', repository: 'library/node', actions: 'pull' });
 * const response = await session.request({ method: 'HEAD', target: '/v2/library/node/manifests/20', expect: [200] });
 */
export function createRegistrySession(options: RegistrySessionOptions): RegistrySession {
  const fetcher = options.fetch ?? globalThis.fetch;
  const base = new URL(options.baseUrl);
  const registry = base.host;
  let authorization: string | undefined;
  const resolve = (target: string) => new URL(target, base);
  const send = async (request: RegistryRequest, url: URL): Promise<Response> => {
    const headers = { ...request.headers, ...(authorization ? { authorization } : {}) };
    try {
      return await fetcher(url, { method: request.method, headers, body: request.body as RequestInit['body'], redirect: 'follow' });
    } catch (error) {
      throw new RegistryRequestError({ registry, method: request.method, path: url.pathname, cause: error });
    }
  };
  return {
    registry,
    resolve,
    async request(request) {
      const url = resolve(request.target);
      let response = await send(request, url);
      const challenge = response.headers.get('www-authenticate');
      // Once per request: the first time, or when a token expired (they last minutes, a big layer may take longer).
      if (response.status === 401 && challenge && /^bearer\s/i.test(challenge)) {
        await response.body?.cancel();
        authorization = `Bearer ${await anonymousToken(fetcher, challenge, options, registry)}`;
        response = await send(request, url);
      }
      if (request.expect.includes(response.status)) return response;
      throw await refusal(response, { registry, method: request.method, path: url.pathname });
    },
  };
}

/** Docker's token flow: ask the challenge's realm for a token of the challenge's scope, without credentials. */
async function anonymousToken(
  fetcher: FetchFunction,
  challenge: string,
  options: RegistrySessionOptions,
  registry: string,
): Promise<string> {
  const parameters = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
  const realm = parseUrl(parameters.realm);
  if (!realm || (realm.protocol !== 'https:' && realm.protocol !== 'http:'))
    throw new RegistryRequestError({
      registry,
      method: 'GET',
      path: '/v2/',
      status: 401,
      registryMessage: 'its token service (realm) is not an http(s) URL',
    });
  if (parameters.service) realm.searchParams.set('service', parameters.service);
  realm.searchParams.set('scope', parameters.scope ?? `repository:${options.repository}:${options.actions}`);
  let response: Response;
  try {
    response = await fetcher(realm, { method: 'GET', redirect: 'follow' });
  } catch (error) {
    throw new RegistryRequestError({ registry: realm.host, method: 'GET', path: realm.pathname, cause: error });
  }
  if (response.status !== 200) throw await refusal(response, { registry: realm.host, method: 'GET', path: realm.pathname });
  const answer = registryTokenSchema.safeParse(await readJson(response, 1024 * 1024));
  if (!answer.success)
    throw new RegistryRequestError({
      registry: realm.host,
      method: 'GET',
      path: realm.pathname,
      status: 200,
      registryMessage: 'no token in the answer',
    });
  return (answer.data.token ?? answer.data.access_token) as string;
}

/** The error for an unexpected answer, with the registry's `{"errors": [{code, message}]}` when it sent one. */
async function refusal(response: Response, request: { registry: string; method: string; path: string }): Promise<RegistryRequestError> {
  const body = request.method === 'HEAD' ? undefined : await readJson(response, 64 * 1024).catch(() => undefined);
  const parsed = registryErrorsSchema.safeParse(body);
  const first = parsed.success ? parsed.data.errors[0] : undefined;
  return new RegistryRequestError({ ...request, status: response.status, code: first?.code, registryMessage: first?.message });
}

async function readJson(response: Response, limit: number): Promise<unknown> {
  const bytes = await readBody(response, limit, 'the registry answer');
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/**
 * A response's whole body, refused past `limit` bytes without reading further.
 *
 * @example
 * const manifest = await readBody(response, 4 * 1024 * 1024, "the image's manifest");
 */
export async function readBody(response: Response, limit: number, what: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) {
    await response.body?.cancel();
    throw new ImageTooLargeError(what, limit);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!response.body) return new Uint8Array(0);
  for await (const chunk of bodyChunks(response)) {
    size += chunk.length;
    // Leaving the loop cancels the body: nothing more is read.
    if (size > limit) throw new ImageTooLargeError(what, limit);
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function parseUrl(text: string | undefined): URL | undefined {
  if (text === undefined) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * A response's body as chunks (none when it has none). Node's web streams are async iterable; the
 * cast keeps this true under the DOM's type library too, where packages that import this one
 * (the SDK) are type-checked.
 *
 * @example
 * for await (const chunk of bodyChunks(response)) hash.update(chunk);
 */
export function bodyChunks(response: Response): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  return (response.body ?? []) as AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}
