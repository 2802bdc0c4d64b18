import { type Address, type Chain, isAddress } from 'viem';
import { arbitrum, arbitrumSepolia, foundry } from 'viem/chains';
import { UnknownNetworkError, UnsupportedLocalChainIdError } from './errors.js';
import { pocoDeployments } from './generated/deployments.js';
import { iexecServices } from './generated/iexecServices.js';

/** The contracts of one PoCo deployment. */
export type PocoAddresses = {
  /** The PoCo diamond: orders, deals, tasks, escrow. */
  poco: Address;
  /** The RLC token used for payments (9 decimals). */
  rlc: Address;
  appRegistry: Address;
  datasetRegistry: Address;
  workerpoolRegistry: Address;
};

export type NetworkName = 'local' | 'arbitrum-sepolia-testnet' | 'arbitrum-mainnet';

/** The off-chain services of a public network, as the pinned iExec SDKs configure them. */
export type NetworkServices = {
  /** The Secret Management Service of TDX tasks: it holds secrets and dataset keys for enclaves. */
  sms: string;
  /** The marketplace API: published app, dataset, workerpool and request orders. */
  marketApi: string;
  /** The IPFS node that accepts uploads (encrypted datasets, app and task metadata). */
  ipfsNode: string;
  /** The IPFS gateway that serves what was uploaded to `ipfsNode`. */
  ipfsGateway: string;
  /** The PoCo subgraph: indexed apps, datasets, deals and tasks. */
  pocoSubgraph: string;
  /** The DataProtector contract, which registers protected data as PoCo datasets. */
  dataProtector: Address;
  /** The DataProtector subgraph: indexed protected data and their schemas. */
  dataProtectorSubgraph: string;
  /** The workerpool TDX tasks go to by default. */
  workerpool: Address;
  /** The PoCo hub the services serve; the same contract as `PocoAddresses.poco`. */
  hub: Address;
};

/** A network the platform can target: its chain, its PoCo addresses and what its enclaves are. */
export type PocoNetwork = {
  name: NetworkName;
  chain: Chain;
  /** Unknown for `local` until PoCo is deployed on the node (see `@confidant/devnet`). */
  addresses: PocoAddresses | undefined;
  /** Whether tasks on this network run in real TEE hardware or in the simulated enclave. */
  enclaves: 'simulated' | 'hardware';
  /** The public services of this network; undefined for `local`, whose services the local network runs. */
  services?: NetworkServices;
};

/**
 * Every network preset: the local devnet and iExec's public Arbitrum deployments.
 *
 * @example
 * const { chain, addresses } = networks['arbitrum-sepolia-testnet'];
 * const smsUrl = networks['arbitrum-mainnet'].services?.sms;
 */
export const networks: Readonly<Record<NetworkName, PocoNetwork>> = {
  local: { name: 'local', chain: foundry, addresses: undefined, enclaves: 'simulated' },
  'arbitrum-sepolia-testnet': {
    name: 'arbitrum-sepolia-testnet',
    chain: arbitrumSepolia,
    addresses: pocoDeployments['arbitrum-sepolia-testnet'],
    enclaves: 'hardware',
    services: iexecServices['arbitrum-sepolia-testnet'],
  },
  'arbitrum-mainnet': {
    name: 'arbitrum-mainnet',
    chain: arbitrum,
    addresses: pocoDeployments['arbitrum-mainnet'],
    enclaves: 'hardware',
    services: iexecServices['arbitrum-mainnet'],
  },
};

/**
 * The chain ids a local network may run under: anvil's own (the default), or Arbitrum Sepolia's,
 * because `@iexec/dataprotector` refuses every chain id it does not know (see docs/decisions.md).
 * Arbitrum One's is never taken: a local transaction must not be valid on a chain with real money.
 */
export const LOCAL_CHAIN_IDS = [foundry.id, arbitrumSepolia.id] as const;

/**
 * The local network preset under a chain id. Under 421614 the chain keeps a name of its own, so a
 * wallet or a log never presents the local node as Arbitrum Sepolia.
 *
 * @example
 * localNetwork(421614).chain.id; // 421614, named "Confidant local network (421614)"
 */
export function localNetwork(chainId: number = foundry.id): PocoNetwork {
  if (!(LOCAL_CHAIN_IDS as readonly number[]).includes(chainId)) throw new UnsupportedLocalChainIdError(chainId, LOCAL_CHAIN_IDS);
  if (chainId === foundry.id) return networks.local;
  return { ...networks.local, chain: { ...foundry, id: chainId, name: `Confidant local network (${chainId})` } };
}

/**
 * Looks a network preset up by name or chain id.
 *
 * @example
 * getNetwork('arbitrum-mainnet').chain.id; // 42161
 * getNetwork(31337).name; // 'local'
 */
export function getNetwork(nameOrChainId: string | number): PocoNetwork {
  const found = Object.values(networks).find((network) => network.name === nameOrChainId || network.chain.id === nameOrChainId);
  if (!found) throw new UnknownNetworkError(String(nameOrChainId), Object.keys(networks));
  return found;
}

const POCO_ADDRESS_KEYS = ['poco', 'rlc', 'appRegistry', 'datasetRegistry', 'workerpoolRegistry'] as const;

/**
 * PoCo addresses from their JSON form (how services take them from the environment, as the local
 * network prints them), or `undefined` when the text is not such an object.
 *
 * @example
 * const addresses = pocoAddressesFromJson('{"poco":"0x…","rlc":"0x…",…}');
 */
export function pocoAddressesFromJson(text: string): PocoAddresses | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object') return undefined;
  const record = json as Record<string, unknown>;
  const valid = POCO_ADDRESS_KEYS.every((key) => typeof record[key] === 'string' && isAddress(record[key], { strict: false }));
  return valid ? (Object.fromEntries(POCO_ADDRESS_KEYS.map((key) => [key, record[key]])) as PocoAddresses) : undefined;
}
