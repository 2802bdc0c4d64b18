import { type ConfidantClient, createConfidantClient } from '@confidant/sdk';
import type { Devnet } from './startDevnet.js';

/**
 * An SDK client on a running local network, signing as one of its named accounts.
 *
 * @example
 * const publisher = devnetClient(devnet, 'publisher');
 */
export function devnetClient(devnet: Devnet, role: keyof Devnet['chain']['accounts']): ConfidantClient {
  return createConfidantClient({
    network: 'local',
    rpcUrl: devnet.chain.rpcUrl,
    addresses: devnet.chain.addresses,
    account: devnet.chain.accounts[role].privateKey,
    apiUrl: devnet.api.url,
    smsUrl: devnet.sms.url,
    ipfsApiUrl: devnet.storage.apiUrl,
    ipfsGatewayUrl: devnet.storage.gatewayUrl,
    registryUrl: devnet.registry.url,
    workerUrl: devnet.worker.url,
  });
}
