import type { DataSchema } from '@confidant/protected-data';
import type { Address } from 'viem';
import type { ConfidantClient } from '../client.js';
import { InvalidArgumentError } from '../errors.js';
import type { ProtectedData } from '../internal/shapes.js';
import { queryProtectedData } from '../internal/subgraph.js';
import { addressArgument, countArgument } from '../internal/validate.js';

export type GetProtectedDataParameters = {
  /** One protected data by address. */
  protectedDataAddress?: Address | undefined;
  owner?: Address | undefined;
  /** Only protected data whose schema contains this one (what an app requires), e.g. `{ email: 'string' }`. */
  requiredSchema?: DataSchema | undefined;
  /** Page size (at most 100) and the cursor of the previous page (how many were skipped). */
  limit?: number | undefined;
  cursor?: number | undefined;
};

/**
 * Protected data of the network, found through the DataProtector subgraph (the query
 * `@iexec/dataprotector` sends): one by address, or by owner and/or required schema, newest first.
 * The subgraph knows the protected data created through the DataProtector contract (`protectData`),
 * each with its schema.
 *
 * @example
 * const mine = await getProtectedData(confidant, { owner: me, requiredSchema: { email: 'string' } });
 */
export async function getProtectedData(client: ConfidantClient, parameters: GetProtectedDataParameters = {}): Promise<ProtectedData[]> {
  const limit = Number(countArgument('limit', parameters.limit ?? 100, { min: 1n }));
  if (limit > 100) throw new InvalidArgumentError('limit', `must be at most 100, not ${limit}`, 'Ask for pages of at most 100.');
  const cursor = Number(countArgument('cursor', parameters.cursor ?? 0));
  return queryProtectedData(client.dataProtectorSubgraphUrl, client.fetch, {
    id:
      parameters.protectedDataAddress === undefined ? undefined : addressArgument('protectedDataAddress', parameters.protectedDataAddress),
    owner: parameters.owner === undefined ? undefined : addressArgument('owner', parameters.owner),
    requiredSchema: parameters.requiredSchema,
    ...(parameters.protectedDataAddress === undefined ? { skip: cursor, first: limit } : { skip: 0, first: 1 }),
  });
}
