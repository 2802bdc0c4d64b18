import { type ConfidantClient, type ConfidantConfig, createConfidantClient } from '@confidant/sdk';
import type { Devnet } from './startDevnet.js';

/**
 * An SDK client on a running local network, signing as one of its named accounts.
 *
 * @example
 * const publisher = devnetClient(devnet, 'publisher');
 * const recorded = devnetClient(devnet, 'dataOwner', { fetch: recordingFetch });
 */
export function devnetClient(
  devnet: Devnet,
  role: keyof Devnet['chain']['accounts'],
  overrides: Partial<ConfidantConfig> = {},
): ConfidantClient {
  return createConfidantClient({
    network: 'local',
    chainId: devnet.chain.chainId,
    rpcUrl: devnet.chain.rpcUrl,
    addresses: devnet.chain.addresses,
    account: devnet.chain.accounts[role].privateKey,
    apiUrl: devnet.api.url,
    smsUrl: devnet.sms.url,
    // The local API serves iExec's market API at its origin and the DataProtector subgraph under it.
    marketApiUrl: new URL(devnet.api.url).origin,
    dataProtectorSubgraphUrl: `${new URL(devnet.api.url).origin}/subgraphs/dataprotector`,
    dataProtector: devnet.chain.dataProtector,
    ipfsApiUrl: devnet.storage.apiUrl,
    ipfsGatewayUrl: devnet.storage.gatewayUrl,
    registryUrl: devnet.registry.url,
    workerUrl: devnet.worker.url,
    ...overrides,
  });
}
