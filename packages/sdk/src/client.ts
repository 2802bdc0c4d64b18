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
import { MissingServiceConfigError } from './errors.js';
import { type ApiClient, createApiClient } from './internal/api.js';
import { createMarketClient, type MarketClient } from './internal/market.js';
import { createSmsClient, type SmsClient } from './internal/sms.js';
import { createStorageClient, type StorageClient } from './internal/storage.js';

export type ConfidantConfig = Pick<
  CreatePocoClientParameters,
  'network' | 'chainId' | 'addresses' | 'rpcUrl' | 'transport' | 'account' | 'pollingInterval'
> & {
  /** The marketplace API's tRPC endpoint, e.g. http://127.0.0.1:4000/trpc */
  apiUrl: string;
  /** The Secret Management Service, e.g. http://127.0.0.1:13300 */
  smsUrl: string;
  /**
   * iExec's market API (`iexecGatewayURL`): orders are published and read there. Defaults to the
   * network preset's (`NetworkServices.marketApi`); on `local`, to the origin of `apiUrl`, where
   * Confidant's API serves it (e.g. http://127.0.0.1:4000).
   */
  marketApiUrl?: string | undefined;
  /**
   * The DataProtector subgraph (GraphQL): where `getProtectedData` finds protected data. Defaults to
   * the network preset's; on `local`, to `<origin of apiUrl>/subgraphs/dataprotector`.
   */
  dataProtectorSubgraphUrl?: string | undefined;
  /**
   * The DataProtector contract `protectData` registers protected data through. Defaults to the
   * network preset's; required on `local` (the local network prints it: `devnet.chain.dataProtector`).
   */
  dataProtector?: Address | undefined;
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

/**
 * What every SDK operation takes: the chain, iExec's services (market API, DataProtector contract
 * and subgraph, SMS), the storage, Confidant's API (listings, sessions, grant expiries), and who acts.
 */
export type ConfidantClient = {
  poco: PocoClient;
  api: ApiClient;
  sms: SmsClient;
  /** iExec's market API: the orderbook (publish, list, one order by hash). */
  market: MarketClient;
  /** The DataProtector subgraph's GraphQL endpoint. */
  dataProtectorSubgraphUrl: string;
  /** The DataProtector contract; undefined on `local` when not given (`protectData` then says so). */
  dataProtector: Address | undefined;
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
 * const confidant = createConfidantClient({ network: 'local', rpcUrl, addresses, dataProtector, account: privateKey, apiUrl, smsUrl, ipfsApiUrl, ipfsGatewayUrl });
 * const protectedData = await protectData(confidant, { data: { email: 'alice@example.com' } });
 */
export function createConfidantClient(config: ConfidantConfig): ConfidantClient {
  const poco = createPocoClient(config);
  const services = servicesOf(config, poco);
  return {
    poco,
    api: createApiClient(config.apiUrl, config.fetch, { sessionOutside: config.apiSessionOutside === true }),
    sms: createSmsClient(config.smsUrl, config.fetch),
    market: createMarketClient(services.marketApiUrl, poco.chain.id, config.fetch),
    dataProtectorSubgraphUrl: services.dataProtectorSubgraphUrl,
    dataProtector: services.dataProtector,
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

/**
 * The iExec services of the client's network: given, else the network preset's; on `local`, the
 * doors of the Confidant API at `apiUrl` (its origin serves the market API and the subgraph).
 */
function servicesOf(
  config: ConfidantConfig,
  poco: PocoClient,
): { marketApiUrl: string; dataProtectorSubgraphUrl: string; dataProtector: Address | undefined } {
  const preset = poco.network.services;
  let origin: string | undefined;
  try {
    origin = new URL(config.apiUrl).origin;
  } catch {
    origin = undefined;
  }
  const marketApiUrl = config.marketApiUrl ?? preset?.marketApi ?? origin;
  const dataProtectorSubgraphUrl =
    config.dataProtectorSubgraphUrl ?? preset?.dataProtectorSubgraph ?? (origin && `${origin}/subgraphs/dataprotector`);
  if (marketApiUrl === undefined || dataProtectorSubgraphUrl === undefined) {
    const missing = [
      marketApiUrl === undefined ? 'marketApiUrl' : [],
      dataProtectorSubgraphUrl === undefined ? 'dataProtectorSubgraphUrl' : [],
    ];
    throw new MissingServiceConfigError(missing.flat(), poco.network.name);
  }
  return { marketApiUrl, dataProtectorSubgraphUrl, dataProtector: config.dataProtector ?? preset?.dataProtector };
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
