import { buildRequestOrder, requestParams, signOrder, TDX_TAG } from '@confidant/contracts';
import type { Devnet } from '@confidant/devnet';
import type { Address } from 'viem';

// What the compatibility suites share besides iExec's clients on the local network
// (`@confidant/devnet/iexec`): a free TDX request order signed by Confidant as its SDK signs one.

/**
 * A free request order of the local network's requester for `app` (and `dataset`), on its TEE
 * workerpool, with the params iExec 9 sets for an encrypted result; with `bulkCid`, a bulk request
 * as dataprotector's prepareBulkRequest makes it (no dataset, one task per slice: `volume`).
 *
 * @example
 * const requestorder = await freeRequestOrder(devnet, { app, dataset, args: 'Alice' });
 */
export function freeRequestOrder(
  devnet: Devnet,
  { app, dataset, args, bulkCid, volume }: { app: Address; dataset?: Address; args: string; bulkCid?: string; volume?: number },
) {
  return signOrder(devnet.chain.client('requester'), {
    kind: 'request',
    order: buildRequestOrder({
      app,
      appmaxprice: 0n,
      ...(dataset ? { dataset, datasetmaxprice: 0n } : {}),
      workerpool: devnet.chain.workerpool.address,
      workerpoolmaxprice: 0n,
      requester: devnet.chain.accounts.requester.address,
      volume: BigInt(volume ?? 1),
      tag: TDX_TAG,
      category: 0n,
      trust: 0n,
      params: requestParams({ args, bulkCid }),
    }),
  });
}

/** What dataprotector's internal functions take as their GraphQL client (graphql-request's `request`). */
export type GraphQLClient = { request(query: string, variables: unknown): Promise<unknown> };

/**
 * A GraphQL client as graphql-request's: POSTs {query, variables} as JSON to the URL `url()` gives
 * when asked (known once the devnet is up), fails on `errors`.
 *
 * @example
 * const client = graphQLClientOf(() => `${origin}/subgraphs/poco`);
 */
export function graphQLClientOf(url: () => string): GraphQLClient {
  return {
    async request(query, variables) {
      const response = await fetch(url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
      if (!response.ok || body.errors) return Promise.reject(new TypeError(`subgraph: ${JSON.stringify(body.errors)}`));
      return body.data;
    },
  };
}
