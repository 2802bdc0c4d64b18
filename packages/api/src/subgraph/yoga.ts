import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { createGraphQLError, createYoga } from 'graphql-yoga';

/** The Graph's paging limits: deeper or wider pages are refused. */
const MAX_SKIP = 5_000;
const MAX_FIRST = 1_000;

/** A refusal of the query's arguments, as a GraphQL error (never a 500). */
export const refuse = (message: string) => createGraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** Refuses a page past The Graph's limits (`skip` ≤ 5000, `first` ≤ 1000), in its words. */
export function checkPage({ skip, first }: { skip: number; first: number }): void {
  if (!Number.isInteger(skip) || skip < 0 || skip > MAX_SKIP)
    throw refuse(`The \`skip\` argument must be between 0 and ${MAX_SKIP}, but is ${skip}`);
  if (!Number.isInteger(first) || first < 0 || first > MAX_FIRST)
    throw refuse(`The \`first\` argument must be between 0 and ${MAX_FIRST}, but is ${first}`);
}

/**
 * A subgraph-style GraphQL endpoint (graphql-yoga) at `endpoint` over `schema`: POST or GET
 * `{query, variables}`, JSON answers, GraphQL errors for bad queries (400 when the query itself is
 * malformed), never a 500; internal failures are masked. CORS is the API server's (its allowed
 * origins), not yoga's allow-all default.
 *
 * @example
 * const handle = serveGraphQL('/subgraphs/poco', createSchema({ typeDefs, resolvers }));
 */
export function serveGraphQL(endpoint: string, schema: GraphQLSchema): (req: IncomingMessage, res: ServerResponse) => void {
  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse }>({
    graphqlEndpoint: endpoint,
    schema,
    cors: false,
    graphiql: false,
    landingPage: false,
    logging: false,
  });
  return (req, res) => void yoga(req, res);
}
