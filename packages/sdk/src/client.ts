import {
  type CreatePocoClientParameters,
  createPocoClient,
  type PocoClient,
  type PocoWalletClient,
  requireWallet,
} from '@confidant/contracts';
import type { CryptoProvider } from '@confidant/protected-data';
import { platformCrypto } from '@confidant/protected-data/platform';
import type { Address, Hex } from 'viem';
import { type ApiClient, createApiClient } from './internal/api.js';
import { createSmsClient, type SmsClient } from './internal/sms.js';
import { createStorageClient, type StorageClient } from './internal/storage.js';

export type ConfidantConfig = Pick<
  CreatePocoClientParameters,
  'network' | 'addresses' | 'rpcUrl' | 'transport' | 'account' | 'pollingInterval'
> & {
  /** The marketplace API's tRPC endpoint, e.g. http://127.0.0.1:4000/trpc */
  apiUrl: string;
  /** The Secret Management Service, e.g. http://127.0.0.1:13300 */
  smsUrl: string;
  /** An IPFS node's kubo RPC API base (uploads go to `${ipfsApiUrl}/api/v0/add`). */
  ipfsApiUrl: string;
  /** An IPFS gateway base (downloads from `${ipfsGatewayUrl}/ipfs/<cid>`). */
  ipfsGatewayUrl: string;
  /** The workerpool node whose task logs you read (the local devnet's worker, or your workerpool's). */
  workerUrl?: string | undefined;
  /**
   * The container registry iApp images are pushed to by `deployApp` (`@confidant/sdk/node`), e.g. the
   * local network's http://127.0.0.1:13500. On public networks images go to a registry of yours with Docker.
   */
  registryUrl?: string | undefined;
  /** AES, SHA-256 and CRC primitives; defaults to this platform's fastest (Node's or WebCrypto). */
  crypto?: CryptoProvider | undefined;
  fetch?: typeof fetch | undefined;
  /**
   * `apiUrl` carries a session already (e.g. a web app's same-origin proxy adding its HttpOnly
   * session cookie): operations that need one do not sign in to the API themselves.
   */
  apiSessionOutside?: boolean | undefined;
};

/** What every SDK operation takes: the chain, the API, the SMS, the storage, and who acts. */
export type ConfidantClient = {
  poco: PocoClient;
  api: ApiClient;
  sms: SmsClient;
  storage: StorageClient;
  crypto: CryptoProvider;
  workerUrl: string | undefined;
  registryUrl: string | undefined;
  fetch: typeof fetch;
};

/**
 * Creates the client every operation takes.
 *
 * @example
 * const confidant = createConfidantClient({ network: 'local', rpcUrl, addresses, account: privateKey, apiUrl, smsUrl, ipfsApiUrl, ipfsGatewayUrl });
 * const protectedData = await protectData(confidant, { data: { email: 'alice@example.com' } });
 */
export function createConfidantClient(config: ConfidantConfig): ConfidantClient {
  return {
    poco: createPocoClient(config),
    api: createApiClient(config.apiUrl, config.fetch, { sessionOutside: config.apiSessionOutside === true }),
    sms: createSmsClient(config.smsUrl, config.fetch),
    storage: createStorageClient({
      apiUrl: config.ipfsApiUrl,
      gatewayUrl: config.ipfsGatewayUrl,
      ...(config.fetch ? { fetch: config.fetch } : {}),
    }),
    crypto: config.crypto ?? platformCrypto,
    workerUrl: config.workerUrl?.replace(/\/+$/, ''),
    registryUrl: config.registryUrl?.replace(/\/+$/, ''),
    fetch: config.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
}

/** The signing side of the client, or a typed error naming the operation that needs it. */
export function signerOf(
  client: ConfidantClient,
  action: string,
): { wallet: PocoWalletClient; address: Address; sign: (challenge: Hex) => Promise<Hex> } {
  const wallet = requireWallet(client.poco, action);
  return {
    wallet,
    address: wallet.walletClient.account.address,
    sign: (challenge) => wallet.walletClient.signMessage({ message: { raw: challenge } }),
  };
}
