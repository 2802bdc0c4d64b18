import { join, resolve } from 'node:path';
import { type NetworkName, type PocoAddresses, pocoAddressesFromJson } from '@confidant/contracts';
import type { Address, Hex } from 'viem';
import { addressSchema, decimalSchema, privateKeySchema } from '@confidant/contracts/schemas';
import { z } from 'zod';
import { InvalidWorkerConfigError } from './errors.js';
import type { WorkerpoolOffer } from './orderbook.js';

const address = addressSchema;
const privateKey = privateKeySchema;
const uint = decimalSchema;

const schema = z.object({
  WORKER_HOST: z.string().default('127.0.0.1'),
  WORKER_PORT: z.coerce.number().int().min(0).max(65_535).default(13_400),
  /** The workerpool served; required. */
  WORKER_WORKERPOOL: address.optional(),
  /** The workerpool owner's key; required. */
  WORKER_WORKERPOOL_OWNER_KEY: privateKey.optional(),
  /** The worker's own key; required. */
  WORKER_KEY: privateKey.optional(),
  /** The marketplace API's tRPC URL; without it the worker publishes no order. */
  WORKER_API_URL: z.string().url().optional(),
  WORKER_SMS_URL: z.string().url().default('http://127.0.0.1:13300'),
  /** Results are uploaded to this kubo RPC API; protected data and input files are read from the gateway. */
  WORKER_IPFS_API_URL: z.string().url().default('http://127.0.0.1:5001'),
  WORKER_IPFS_GATEWAY_URL: z.string().url().default('http://127.0.0.1:5001'),
  /** The simulated enclave platform's root key (local networks). */
  WORKER_PLATFORM_ROOT_KEY: privateKey.optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  WORKER_CONFIRMATIONS: z.coerce.number().int().min(0).max(1_000).default(0),
  WORKER_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(1_000),
  WORKER_ORDER_PRICE: uint.default(0n),
  WORKER_ORDER_VOLUME: uint.default(100n),
  WORKER_ORDER_CATEGORY: uint.default(0n),
  /** PostgreSQL for the worker; DATABASE_URL is used when it is absent. */
  WORKER_DATABASE_URL: z.string().url().optional(),
  DATABASE_URL: z.string().url().optional(),
  /** Default `<CONFIDANT_DATA_DIR>/worker`: the database (`db/`, with PGlite), the app image store (`images/`) and the task folders (`tasks/`). */
  WORKER_DATA_DIR: z.string().optional(),
  CONFIDANT_DATA_DIR: z.string().default('.data'),
  CHAIN_RPC_URL: z.string().url().default('http://127.0.0.1:8545'),
  CHAIN_NETWORK: z.enum(['local', 'arbitrum-sepolia-testnet', 'arbitrum-mainnet']).default('local'),
  /** The local node's chain id (31337 unless the local network runs under 421614); public networks have their own. */
  CHAIN_ID: z.coerce.number().int().optional(),
  /** JSON of PocoAddresses; required for `local`. */
  POCO_ADDRESSES: z.string().optional(),
});

export type WorkerEnv = {
  host: string;
  port: number;
  workerpool: Address;
  workerpoolOwnerKey: Hex;
  workerKey: Hex;
  apiUrl: string | undefined;
  smsUrl: string;
  storage: { apiUrl: string; gatewayUrl: string };
  platformRootKey: Hex | undefined;
  concurrency: number;
  confirmations: number;
  pollIntervalMs: number;
  offer: Pick<WorkerpoolOffer, 'price' | 'volume' | 'category'>;
  databaseUrl: string | undefined;
  dataDir: string;
  rpcUrl: string;
  network: NetworkName;
  chainId: number | undefined;
  pocoAddresses: PocoAddresses | undefined;
};

/**
 * The worker's settings, validated once at start; missing keys or workerpool are errors here.
 *
 * @example
 * const env = readWorkerEnv(process.env);
 */
export function readWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    // Names only: a malformed key's value is never repeated.
    throw new InvalidWorkerConfigError(
      `the worker settings are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      'Fix the environment variables named above (see packages/worker/src/env.ts for each one).',
    );
  }
  const e = parsed.data;
  for (const [name, value] of [
    ['WORKER_WORKERPOOL', e.WORKER_WORKERPOOL],
    ['WORKER_WORKERPOOL_OWNER_KEY', e.WORKER_WORKERPOOL_OWNER_KEY],
    ['WORKER_KEY', e.WORKER_KEY],
  ] as const) {
    if (value === undefined)
      throw new InvalidWorkerConfigError(
        `${name} is not set`,
        `Set ${name}: the worker needs its workerpool, the workerpool owner's key and its own key.`,
      );
  }
  return {
    host: e.WORKER_HOST,
    port: e.WORKER_PORT,
    workerpool: e.WORKER_WORKERPOOL as Address,
    workerpoolOwnerKey: e.WORKER_WORKERPOOL_OWNER_KEY as Hex,
    workerKey: e.WORKER_KEY as Hex,
    apiUrl: e.WORKER_API_URL,
    smsUrl: e.WORKER_SMS_URL,
    storage: { apiUrl: e.WORKER_IPFS_API_URL, gatewayUrl: e.WORKER_IPFS_GATEWAY_URL },
    platformRootKey: e.WORKER_PLATFORM_ROOT_KEY,
    concurrency: e.WORKER_CONCURRENCY,
    confirmations: e.WORKER_CONFIRMATIONS,
    pollIntervalMs: e.WORKER_POLL_INTERVAL_MS,
    offer: { price: e.WORKER_ORDER_PRICE, volume: e.WORKER_ORDER_VOLUME, category: e.WORKER_ORDER_CATEGORY },
    databaseUrl: e.WORKER_DATABASE_URL ?? e.DATABASE_URL,
    dataDir: resolve(e.WORKER_DATA_DIR ?? join(e.CONFIDANT_DATA_DIR, 'worker')),
    rpcUrl: e.CHAIN_RPC_URL,
    network: e.CHAIN_NETWORK,
    chainId: e.CHAIN_ID,
    pocoAddresses: e.POCO_ADDRESSES === undefined ? undefined : parsePocoAddresses(e.POCO_ADDRESSES),
  };
}

function parsePocoAddresses(text: string): PocoAddresses {
  const addresses = pocoAddressesFromJson(text);
  if (!addresses)
    throw new InvalidWorkerConfigError(
      'POCO_ADDRESSES is not a JSON object of the PoCo addresses',
      'Pass the addresses the local network printed.',
    );
  return addresses;
}
