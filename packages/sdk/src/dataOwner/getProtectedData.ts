import type { DataSchema } from '@confidant/protected-data';
import type { Address } from 'viem';
import type { ConfidantClient } from '../client.js';
import { NotIndexedError } from '@confidant/errors/api';
import { type ProtectedData, toProtectedData } from '../internal/shapes.js';
import { addressArgument } from '../internal/validate.js';

export type GetProtectedDataParameters = {
  /** One protected data by address. */
  protectedDataAddress?: Address | undefined;
  owner?: Address | undefined;
  /** Only protected data whose schema contains this one (what an app requires), e.g. `{ email: 'string' }`. */
  requiredSchema?: DataSchema | undefined;
  /** Page size (at most 100) and the cursor of the previous page. */
  limit?: number | undefined;
  cursor?: number | undefined;
};

/**
 * Protected data known to the marketplace: one by address, or by owner and/or required schema,
 * newest first.
 *
 * @example
 * const mine = await getProtectedData(confidant, { owner: me, requiredSchema: { email: 'string' } });
 */
export async function getProtectedData(client: ConfidantClient, parameters: GetProtectedDataParameters = {}): Promise<ProtectedData[]> {
  if (parameters.protectedDataAddress !== undefined) {
    const address = addressArgument('protectedDataAddress', parameters.protectedDataAddress);
    const one = await client.api.protectedData.get.query({ address }).then(toProtectedData, (error: unknown) => {
      // Not in the marketplace's index: not a protected data of this network (yet).
      if (error instanceof NotIndexedError) return undefined;
      throw error;
    });
    if (!one) return [];
    if (parameters.owner && one.owner.toLowerCase() !== addressArgument('owner', parameters.owner).toLowerCase()) return [];
    return [one];
  }
  const page = await client.api.protectedData.list.query({
    owner: parameters.owner === undefined ? undefined : addressArgument('owner', parameters.owner),
    requiredSchema: parameters.requiredSchema,
    limit: parameters.limit ?? 100,
    cursor: parameters.cursor,
  });
  return page.items.map(toProtectedData);
}
