import { type Address, type Hash, type Hex, isHex, stringToHex } from 'viem';
import { type PocoClient, requireWallet } from '../client.js';
import { AssetAlreadyExistsError } from '../errors.js';
import { appRegistryAbi } from '../generated/abis.js';
import { findMintedAsset } from '../internal/assets.js';
import { writeAndWait } from '../internal/write.js';

export type CreateAppParameters = {
  /** Defaults to the client's account. */
  owner?: Address | undefined;
  name: string;
  /** The runtime kind; iExec uses `DOCKER`. */
  type?: string | undefined;
  /** Where the app's code lives (an image reference or a URL); text or hex bytes. */
  multiaddr: string | Hex;
  /** The measurement of the app bundle (bytes32): what the enclave must prove it runs. */
  checksum: Hex;
  /** The TEE fingerprint (JSON text such as `{"framework":"TDX",…}`) or `0x` for none. */
  mrenclave?: string | Hex | undefined;
};

export type CreateAppReturnType = { address: Address; hash: Hash };

/**
 * Registers an app: mints its registry NFT to the owner, with its code location and measurement.
 *
 * @example
 * const { address } = await createApp(publisher, { name: 'hello', multiaddr: 'bundle://hello', checksum });
 */
export async function createApp(client: PocoClient, parameters: CreateAppParameters): Promise<CreateAppReturnType> {
  const wallet = requireWallet(client, 'creating an app');
  const args = [
    parameters.owner ?? wallet.walletClient.account.address,
    parameters.name,
    parameters.type ?? 'DOCKER',
    toBytes(parameters.multiaddr),
    parameters.checksum,
    toBytes(parameters.mrenclave ?? '0x'),
  ] as const;
  const { hash, receipt } = await writeAndWait(
    wallet,
    'creating an app',
    { address: client.addresses.appRegistry, abi: appRegistryAbi, functionName: 'createApp', args },
    async () => {
      // The registry deploys apps with CREATE2: the same parameters twice collide on one address.
      const predicted = await client.publicClient.readContract({
        address: client.addresses.appRegistry,
        abi: appRegistryAbi,
        functionName: 'predictApp',
        args,
      });
      const exists = await client.publicClient.readContract({
        address: client.addresses.appRegistry,
        abi: appRegistryAbi,
        functionName: 'isRegistered',
        args: [predicted],
      });
      return exists ? new AssetAlreadyExistsError('app', predicted) : undefined;
    },
  );
  return { address: findMintedAsset(client, 'app', receipt, 'creating an app'), hash };
}

/** Text becomes its UTF-8 bytes; hex stays as it is. */
export function toBytes(value: string): Hex {
  return isHex(value, { strict: true }) ? value : stringToHex(value);
}
