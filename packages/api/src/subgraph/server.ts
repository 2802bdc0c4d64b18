import type { IncomingMessage, ServerResponse } from 'node:http';
import { BaseError } from '@confidant/errors';
import { processLogger, readLimited } from '@confidant/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { type DocumentNode, GraphQLError, type GraphQLSchema, parse, type Source, validate } from 'graphql';
import { createHandler } from 'graphql-http';

/** The Graph's paging limits: deeper or wider pages are refused. */
const MAX_SKIP = 5_000;
const MAX_FIRST = 1_000;
/** A subgraph query is a few hundred bytes; 256 KiB leaves room for long `id_in` lists. */
const MAX_BODY_BYTES = 256 * 1024;
/** Parsed and validated documents kept, by query text; clients send the same few queries. */
const MAX_DOCUMENTS = 500;
const MAX_CACHED_QUERY_CHARS = 16 * 1024;

/** A refusal of the query's arguments, as a GraphQL error (never a 500). */
export const refuse = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** Refuses a page past The Graph's limits (`skip` ≤ 5000, `first` ≤ 1000), in its words. */
export function checkPage({ skip, first }: { skip: number; first: number }): void {
  if (!Number.isInteger(skip) || skip < 0 || skip > MAX_SKIP)
    throw refuse(`The \`skip\` argument must be between 0 and ${MAX_SKIP}, but is ${skip}`);
  if (!Number.isInteger(first) || first < 0 || first > MAX_FIRST)
    throw refuse(`The \`first\` argument must be between 0 and ${MAX_FIRST}, but is ${first}`);
}

/** A schema from SDL and resolvers (graphql-tools). */
export const graphqlSchema = makeExecutableSchema;

/** A request body refused before GraphQL reads it: too large (413) or unreadable (400). */
class GraphQLBodyError extends BaseError {
  override name = 'GraphQLBodyError';
  constructor(
    message: string,
    readonly status: 413 | 400,
  ) {
    super(message, { kind: 'invalid-input', hints: [status === 413 ? 'Send a shorter query.' : 'Send the request again.'] });
  }
}

/**
 * `parse` and `validate` remembered by query text: they cost more than answering a page, and
 * clients send the same few documents. Documents that fail are not kept; neither are huge ones.
 */
function documentCache(schema: GraphQLSchema) {
  const documents = new Map<string, DocumentNode>();
  const valid = new WeakSet<DocumentNode>();
  return {
    parse(source: string | Source): DocumentNode {
      if (typeof source !== 'string') return parse(source);
      const query = source;
      const known = documents.get(query);
      if (known) {
        // Most recently used last, so that the oldest goes first.
        documents.delete(query);
        documents.set(query, known);
        return known;
      }
      const document = parse(query);
      if (query.length <= MAX_CACHED_QUERY_CHARS) {
        documents.set(query, document);
        if (documents.size > MAX_DOCUMENTS) documents.delete(documents.keys().next().value as string);
      }
      return document;
    },
    validate(_: GraphQLSchema, document: DocumentNode, rules: Parameters<typeof validate>[2]) {
      if (valid.has(document)) return [];
      const errors = validate(schema, document, rules);
      if (errors.length === 0) valid.add(document);
      return errors;
    },
  };
}

/** Errors the resolvers did not mean to show (anything but a GraphQLError) are masked and logged. */
function maskUnexpected(endpoint: string) {
  return (error: Error) => {
    if (!(error instanceof GraphQLError) || !error.originalError || error.originalError instanceof GraphQLError) return error;
    const cause = error.originalError;
    processLogger.error(`api: ${endpoint} failed: ${cause.name}: ${cause.message}`);
    return new GraphQLError('Unexpected error.', { nodes: error.nodes, path: error.path });
  };
}

/**
 * A subgraph-style GraphQL endpoint (graphql-http, the GraphQL-over-HTTP reference server) at
 * `endpoint` over `schema`: POST or GET `{query, variables}`, JSON answers, GraphQL errors for bad
 * queries (400 when the query itself is malformed and the client accepts
 * `application/graphql-response+json`, as graphql-request does), never a 500; unexpected failures
 * are masked. No CORS headers of its own: the API server's apply.
 *
 * @example
 * const handle = serveGraphQL('/subgraphs/poco', graphqlSchema({ typeDefs, resolvers }));
 */
export function serveGraphQL(endpoint: string, schema: GraphQLSchema): (req: IncomingMessage, res: ServerResponse) => void {
  const documents = documentCache(schema);
  const handler = createHandler<IncomingMessage>({
    schema,
    parse: documents.parse,
    validate: documents.validate,
    formatError: maskUnexpected(endpoint),
  });
  const tooLarge = () => new GraphQLBodyError(`the request body is larger than ${MAX_BODY_BYTES} bytes`, 413);
  const unreadable = () => new GraphQLBodyError('the request body could not be read', 400);
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    let body: string | null = null;
    try {
      if (req.method === 'POST') body = (await readLimited(req, MAX_BODY_BYTES, tooLarge, unreadable)).toString('utf8');
    } catch (error) {
      const refused = error instanceof GraphQLBodyError ? error : unreadable();
      res.writeHead(refused.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errors: [{ message: refused.shortMessage }] }));
      return;
    }
    const [payload, init] = await handler({
      method: req.method ?? 'GET',
      url: req.url ?? endpoint,
      headers: { get: (name) => [req.headers[name.toLowerCase()]].flat()[0] ?? null },
      body,
      raw: req,
      context: req,
    });
    res.writeHead(init.status, init.headers as Record<string, string> | undefined).end(payload ?? undefined);
  };
  return (req, res) =>
    void answer(req, res).catch((error: unknown) => {
      processLogger.error(`api: ${endpoint} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : 'Error'}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errors: [{ message: 'Unexpected error.' }] }));
    });
}
