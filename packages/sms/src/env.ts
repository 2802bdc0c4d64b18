import { join, resolve } from 'node:path';
import { type NetworkName, type PocoAddresses, pocoAddressesFromJson } from '@confidant/contracts';
import { addressSchema } from '@confidant/contracts/schemas';
import { z } from 'zod';
import { InvalidSmsConfigError } from './errors.js';
import { parseMasterKey } from './masterKey.js';
import type { RateLimitOptions } from './rateLimit.js';

const schema = z.object({
  SMS_HOST: z.string().default('127.0.0.1'),
  /** iExec's SMS listens on 13300 too. */
  SMS_PORT: z.coerce.number().int().min(0).max(65_535).default(13_300),
  /** 32 bytes in base64 or hex; required. */
  SMS_MASTER_KEY: z.string().optional(),
  /** PostgreSQL for the SMS; DATABASE_URL is used when it is absent. */
  SMS_DATABASE_URL: z.string().url().optional(),
  DATABASE_URL: z.string().url().optional(),
  /** PGlite's directory; default `<CONFIDANT_DATA_DIR>/sms-db`. */
  SMS_DATA_DIR: z.string().optional(),
  CONFIDANT_DATA_DIR: z.string().default('.data'),
  CHAIN_RPC_URL: z.string().url().default('http://127.0.0.1:8545'),
  CHAIN_NETWORK: z.enum(['local', 'arbitrum-sepolia-testnet', 'arbitrum-mainnet']).default('local'),
  /** The local node's chain id (31337 unless the local network runs under 421614); public networks have their own. */
  CHAIN_ID: z.coerce.number().int().optional(),
  /** JSON of PocoAddresses; required for `local`. */
  POCO_ADDRESSES: z.string().optional(),
  /** Pushes a client may make in a burst; 0 turns the limit off. */
  SMS_RATE_LIMIT_REQUESTS: z.coerce.number().int().min(0).default(30),
  /** Time for a client's bucket to refill, in ms. */
  SMS_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1).default(10_000),
  /** Comma-separated addresses of simulated TEE platform roots to trust; none in production. */
  SMS_TRUSTED_SIMULATION_ROOTS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((root) => root.trim())
        .filter((root) => root !== ''),
    )
    .pipe(z.array(addressSchema))
    .default([]),
  /** The marketplace API's tRPC URL (e.g. http://127.0.0.1:4000/trpc), to refuse expired grants. */
  SMS_API_URL: z.string().url().optional(),
});

export type SmsEnv = {
  host: string;
  port: number;
  masterKey: Uint8Array;
  databaseUrl: string | undefined;
  dataDir: string;
  rpcUrl: string;
  network: NetworkName;
  chainId: number | undefined;
  pocoAddresses: PocoAddresses | undefined;
  rateLimit: RateLimitOptions | false;
  /** Simulated platform roots whose quotes are trusted (empty: none, as in production). */
  trustedSimulationRoots: `0x${string}`[];
  apiUrl: string | undefined;
};

/**
 * The SMS's settings, validated once at start; a missing or malformed master key is an error here.
 *
 * @example
 * const env = readSmsEnv(process.env);
 */
export function readSmsEnv(source: Record<string, string | undefined> = process.env): SmsEnv {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    throw new InvalidSmsConfigError(
      `the SMS settings are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      'Fix the environment variables named above (see packages/sms/src/env.ts for each one).',
    );
  }
  const e = parsed.data;
  return {
    host: e.SMS_HOST,
    port: e.SMS_PORT,
    masterKey: parseMasterKey(e.SMS_MASTER_KEY),
    databaseUrl: e.SMS_DATABASE_URL ?? e.DATABASE_URL,
    dataDir: resolve(e.SMS_DATA_DIR ?? join(e.CONFIDANT_DATA_DIR, 'sms-db')),
    rpcUrl: e.CHAIN_RPC_URL,
    network: e.CHAIN_NETWORK,
    chainId: e.CHAIN_ID,
    pocoAddresses: e.POCO_ADDRESSES === undefined ? undefined : parsePocoAddresses(e.POCO_ADDRESSES),
    rateLimit: e.SMS_RATE_LIMIT_REQUESTS === 0 ? false : { requests: e.SMS_RATE_LIMIT_REQUESTS, windowMs: e.SMS_RATE_LIMIT_WINDOW_MS },
    trustedSimulationRoots: e.SMS_TRUSTED_SIMULATION_ROOTS,
    apiUrl: e.SMS_API_URL,
  };
}

function parsePocoAddresses(text: string): PocoAddresses {
  const addresses = pocoAddressesFromJson(text);
  if (!addresses)
    throw new InvalidSmsConfigError(
      'POCO_ADDRESSES is not a JSON object of the PoCo addresses',
      'Pass the addresses the local network printed.',
    );
  return addresses;
}
