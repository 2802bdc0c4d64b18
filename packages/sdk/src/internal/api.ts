import { createTRPCUntypedClient, httpLink, TRPCClientError } from '@trpc/client';
import type { BaseErrorKind } from '@confidant/errors';
import superjson from 'superjson';
import type { z } from 'zod';
import { ApiRequestError, UnexpectedResponseError } from '../errors.js';

const KINDS: Record<string, BaseErrorKind> = {
  BAD_REQUEST: 'invalid-input',
  UNAUTHORIZED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not-found',
  CONFLICT: 'conflict',
  TOO_MANY_REQUESTS: 'unavailable',
};

/** The marketplace API over tRPC, each answer checked against the shape the SDK relies on. */
export type ApiClient = {
  query<schema extends z.ZodType>(procedure: string, input: unknown, output: schema): Promise<z.infer<schema>>;
  mutation<schema extends z.ZodType>(procedure: string, input: unknown, output: schema): Promise<z.infer<schema>>;
  /** The session token used from now on (`undefined`: signed out). */
  setToken(token: string | undefined): void;
  hasToken(): boolean;
};

/**
 * @param options.sessionOutside the endpoint carries a session already (a web app's same-origin
 * proxy with its HttpOnly session cookie): operations do not sign in themselves.
 */
export function createApiClient(url: string, fetchImpl?: typeof fetch, options: { sessionOutside?: boolean } = {}): ApiClient {
  let token: string | undefined;
  const client = createTRPCUntypedClient({
    links: [
      httpLink({
        url,
        transformer: superjson,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
      }),
    ],
  });

  async function call<schema extends z.ZodType>(type: 'query' | 'mutation', procedure: string, input: unknown, output: schema): Promise<z.infer<schema>> {
    let answer: unknown;
    try {
      answer = type === 'query' ? await client.query(procedure, input) : await client.mutation(procedure, input);
    } catch (error) {
      if (error instanceof TRPCClientError) {
        const data = (error.data ?? {}) as { code?: string; hints?: string[] };
        throw new ApiRequestError(procedure, error.message, { hints: data.hints, kind: data.code ? KINDS[data.code] : 'unavailable', cause: error });
      }
      throw new ApiRequestError(procedure, `the API at ${url} could not be reached`, { cause: error });
    }
    const parsed = output.safeParse(answer);
    if (!parsed.success) throw new UnexpectedResponseError('API', `answer to ${procedure}`);
    return parsed.data;
  }

  return {
    query: (procedure, input, output) => call('query', procedure, input, output),
    mutation: (procedure, input, output) => call('mutation', procedure, input, output),
    setToken: (value) => void (token = value),
    hasToken: () => options.sessionOutside === true || token !== undefined,
  };
}
