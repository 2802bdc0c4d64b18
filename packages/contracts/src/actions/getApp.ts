import type { Address, Hex } from 'viem';
import type { PocoClient } from '../client.js';
import { AssetNotFoundError } from '../errors.js';
import { appRegistryAbi, iexecPocoAbi } from '../generated/abis.js';
import { bytesToText } from '../internal/text.js';

export type GetAppParameters = { app: Address };

export type GetAppReturnType = {
  address: Address;
  owner: Address;
  name: string;
  type: string;
  /** The code location as stored (hex bytes) and as text when it is text. */
  multiaddr: Hex;
  multiaddrText: string | undefined;
  /** The app's measurement: what an enclave must prove it runs. */
  checksum: Hex;
  /** The TEE fingerprint as stored and as text (usually JSON). */
  mrenclave: Hex;
  mrenclaveText: string | undefined;
};

/**
 * Reads a registered app.
 *
 * @example
 * const { owner, checksum } = await getApp(client, { app });
 */
export async function getApp(client: PocoClient, { app }: GetAppParameters): Promise<GetAppReturnType> {
  const registered = await client.publicClient.readContract({
    address: client.addresses.appRegistry,
    abi: appRegistryAbi,
    functionName: 'isRegistered',
    args: [app],
  });
  if (!registered) throw new AssetNotFoundError('app', app);
  const view = await client.publicClient.readContract({
    address: client.addresses.poco,
    abi: iexecPocoAbi,
    functionName: 'viewApp',
    args: [app],
  });
  return {
    address: app,
    owner: view.owner,
    name: view.m_appName,
    type: view.m_appType,
    multiaddr: view.m_appMultiaddr,
    multiaddrText: bytesToText(view.m_appMultiaddr),
    checksum: view.m_appChecksum,
    mrenclave: view.m_appMREnclave,
    mrenclaveText: bytesToText(view.m_appMREnclave),
  };
}
