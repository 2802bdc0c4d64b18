import { resolve } from 'node:path';
import { networks } from '@confidant/contracts';
import { addressSchema } from '@confidant/contracts/schemas';
import { z } from 'zod';
import { InvalidRequestError } from '@confidant/errors/api';

const address = addressSchema;

const schema = z.object({
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  DATABASE_URL: z.string().url().optional(),
  CONFIDANT_DATA_DIR: z.string().default('.data'),
  CHAIN_RPC_URL: z.string().url().default('http://127.0.0.1:8545'),
  CHAIN_NETWORK: z.enum(['local', 'arbitrum-sepolia-testnet', 'arbitrum-mainnet']).default('local'),
  /** The local node's chain id (31337 unless the local network runs under 421614); public networks have their own. */
  CHAIN_ID: z.coerce.number().int().optional(),
  /** JSON of PocoAddresses; required for `local`. */
  POCO_ADDRESSES: z.string().optional(),
  INDEXER_START_BLOCK: z.coerce.bigint().default(0n),
  INDEXER_CONFIRMATIONS: z.coerce.number().int().min(0).default(0),
  /** Comma-separated hosts a SIWE message may name (the web app's host). */
  SIWE_DOMAINS: z.string().default('localhost,localhost:3000,127.0.0.1,127.0.0.1:3000'),
  /** Set when served over HTTPS: the session cookie is then `Secure`. */
  SECURE_COOKIES: z.enum(['true', 'false']).default('false'),
  /**
   * The market API whose orders the API mirrors (see market/mirror.ts): on a public network iExec's
   * (its preset's `marketApi`) unless set; never on `local` unless set; `off` turns it off.
   */
  CONFIDANT_MARKET_MIRROR_URL: z.union([z.literal('off'), z.string().url()]).optional(),
  /** The pause between two mirror rounds. */
  CONFIDANT_MARKET_MIRROR_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
  /** The IPFS gateway bulk requests are read from (the PoCo subgraph's bulk slices); optional. */
  IPFS_GATEWAY_URL: z.string().url().optional(),
});

export type ApiEnv = {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  rpcUrl: string;
  network: 'local' | 'arbitrum-sepolia-testnet' | 'arbitrum-mainnet';
  chainId: number | undefined;
  pocoAddresses: Record<string, string> | undefined;
  indexerStartBlock: bigint;
  indexerConfirmations: number;
  siweDomains: string[];
  secureCookies: boolean;
  /** The market mirror's upstream and pace; undefined when it is off. */
  marketMirror: { upstreamUrl: string; intervalMs: number } | undefined;
  ipfsGatewayUrl: string | undefined;
};

/** The market mirror's settings: explicit, else the public network's market API, never `local`'s. */
function marketMirrorOf(e: z.output<typeof schema>): ApiEnv['marketMirror'] {
  const configured = e.CONFIDANT_MARKET_MIRROR_URL;
  if (configured === 'off') return undefined;
  const upstreamUrl = configured ?? (e.CHAIN_NETWORK === 'local' ? undefined : networks[e.CHAIN_NETWORK].services?.marketApi);
  return upstreamUrl ? { upstreamUrl, intervalMs: e.CONFIDANT_MARKET_MIRROR_INTERVAL_MS } : undefined;
}

/**
 * The API server's settings, validated once at start.
 *
 * @example
 * const env = readApiEnv(process.env);
 */
export function readApiEnv(source: Record<string, string | undefined> = process.env): ApiEnv {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    throw new InvalidRequestError(
      `the API settings are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      'Fix the environment variables named above (see packages/api/src/env.ts for each one).',
    );
  }
  const e = parsed.data;
  let pocoAddresses: Record<string, string> | undefined;
  if (e.POCO_ADDRESSES) {
    const addresses = z.record(z.string(), address).safeParse(JSON.parse(e.POCO_ADDRESSES));
    if (!addresses.success)
      throw new InvalidRequestError('POCO_ADDRESSES is not a JSON object of addresses', 'Pass the addresses the local network printed.');
    pocoAddresses = addresses.data;
  }
  return {
    host: e.API_HOST,
    port: e.API_PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.CONFIDANT_DATA_DIR),
    rpcUrl: e.CHAIN_RPC_URL,
    network: e.CHAIN_NETWORK,
    chainId: e.CHAIN_ID,
    pocoAddresses,
    indexerStartBlock: e.INDEXER_START_BLOCK,
    indexerConfirmations: e.INDEXER_CONFIRMATIONS,
    siweDomains: e.SIWE_DOMAINS.split(',')
      .map((d) => d.trim())
      .filter(Boolean),
    secureCookies: e.SECURE_COOKIES === 'true',
    marketMirror: marketMirrorOf(e),
    ipfsGatewayUrl: e.IPFS_GATEWAY_URL,
  };
}
