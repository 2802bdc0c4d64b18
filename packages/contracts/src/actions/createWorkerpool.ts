import type { Address, Hash } from 'viem';
import { type PocoClient, requireWallet } from '../client.js';
import { AssetAlreadyExistsError } from '../errors.js';
import { workerpoolRegistryAbi } from '../generated/abis.js';
import { findMintedAsset } from '../internal/assets.js';
import { writeAndWait } from '../internal/write.js';

export type CreateWorkerpoolParameters = {
  /** Defaults to the client's account: the scheduler that signs worker authorizations. */
  owner?: Address | undefined;
  description: string;
};

export type CreateWorkerpoolReturnType = { address: Address; hash: Hash };

/**
 * Registers a workerpool owned by its scheduler.
 *
 * @example
 * const { address } = await createWorkerpool(scheduler, { description: 'my TEE pool' });
 */
export async function createWorkerpool(client: PocoClient, parameters: CreateWorkerpoolParameters): Promise<CreateWorkerpoolReturnType> {
  const wallet = requireWallet(client, 'creating a workerpool');
  const args = [parameters.owner ?? wallet.walletClient.account.address, parameters.description] as const;
  const { hash, receipt } = await writeAndWait(
    wallet,
    'creating a workerpool',
    { address: client.addresses.workerpoolRegistry, abi: workerpoolRegistryAbi, functionName: 'createWorkerpool', args },
    async () => {
      const predicted = await client.publicClient.readContract({
        address: client.addresses.workerpoolRegistry,
        abi: workerpoolRegistryAbi,
        functionName: 'predictWorkerpool',
        args,
      });
      const exists = await client.publicClient.readContract({
        address: client.addresses.workerpoolRegistry,
        abi: workerpoolRegistryAbi,
        functionName: 'isRegistered',
        args: [predicted],
      });
      return exists ? new AssetAlreadyExistsError('workerpool', predicted) : undefined;
    },
  );
  return { address: findMintedAsset(client, 'workerpool', receipt, 'creating a workerpool'), hash };
}
