import {
  type Account,
  type Chain,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { MissingAccountError, MissingAddressesError, UnknownNetworkError } from './errors.js';
import { getNetwork, localNetwork, type NetworkName, type PocoAddresses, type PocoNetwork } from './networks.js';

/** Everything an action needs: where PoCo is, how to read the chain, and optionally who signs. */
export type PocoClient = {
  network: PocoNetwork;
  chain: Chain;
  addresses: PocoAddresses;
  transport: Transport;
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, Account> | undefined;
};

/** A client that can sign and send transactions. */
export type PocoWalletClient = PocoClient & { walletClient: WalletClient<Transport, Chain, Account> };

export type CreatePocoClientParameters = {
  /** A preset name or chain id (`local`, `arbitrum-sepolia-testnet`, `arbitrum-mainnet`). */
  network: NetworkName | number;
  /**
   * The chain id of a `local` node: 31337 (default) or 421614 (see `LOCAL_CHAIN_IDS`). A chain id
   * alone always means a public preset, so a local node under 421614 is named `local` with this.
   */
  chainId?: number | undefined;
  /** Required for `local`; overrides the preset's addresses elsewhere. */
  addresses?: PocoAddresses | undefined;
  /** JSON-RPC URL; defaults to the chain's public RPC. */
  rpcUrl?: string | undefined;
  /** A viem transport, instead of `rpcUrl`. */
  transport?: Transport | undefined;
  /** Who signs: a viem account or a private key. */
  account?: Account | Hex | undefined;
  /** How often receipts are polled, in ms (a local node answers at once: keep it small there). */
  pollingInterval?: number | undefined;
};

/**
 * Creates a PoCo client for a network preset.
 *
 * @example
 * const client = createPocoClient({ network: 'local', rpcUrl, addresses, account: privateKey });
 * const app = await getApp(client, { app: '0x…' });
 */
export function createPocoClient(parameters: CreatePocoClientParameters): PocoClient {
  const network = parameters.network === 'local' ? localNetwork(parameters.chainId) : getNetwork(parameters.network);
  if (parameters.chainId !== undefined && parameters.chainId !== network.chain.id)
    throw new UnknownNetworkError(`${parameters.network} under chain id ${parameters.chainId}`, [
      `${network.name} (chain id ${network.chain.id})`,
    ]);
  const addresses = parameters.addresses ?? network.addresses;
  if (!addresses) throw new MissingAddressesError(network.name);
  const chain = parameters.rpcUrl === undefined ? network.chain : { ...network.chain, rpcUrls: { default: { http: [parameters.rpcUrl] } } };
  const transport = parameters.transport ?? http(parameters.rpcUrl, { batch: false, retryCount: 0 });
  const pollingInterval = parameters.pollingInterval ?? (network.name === 'local' ? 20 : 1_000);
  const publicClient = createPublicClient({ chain, transport, pollingInterval });
  const client: PocoClient = { network, chain, addresses, transport, publicClient, walletClient: undefined };
  return parameters.account === undefined ? client : withAccount(client, parameters.account);
}

/**
 * The same client, signing with another account.
 *
 * @example
 * const asOwner = withAccount(client, ownerPrivateKey);
 */
export function withAccount(client: PocoClient, account: Account | Hex): PocoWalletClient {
  const signer = typeof account === 'string' ? privateKeyToAccount(account) : account;
  const walletClient = createWalletClient({
    account: signer,
    chain: client.chain,
    transport: client.transport,
    pollingInterval: client.publicClient.pollingInterval,
  });
  return { ...client, walletClient };
}

/** The client's signer, or a typed error naming the action that needed one. */
export function requireWallet(client: PocoClient, action: string): PocoWalletClient {
  if (!client.walletClient) throw new MissingAccountError(action);
  return client as PocoWalletClient;
}
