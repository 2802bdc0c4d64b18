import { resolve } from 'node:path';
import { z } from 'zod';
import { DevnetConfigError } from './errors.js';

const schema = z.object({
  /** 31337, or 421614 for iExec's DataProtector client (see docs/decisions.md). */
  CONFIDANT_CHAIN_ID: z.coerce.number().int().default(31337),
  // Default: `.data`, or `.data-<chain id>` for another chain id, so that both networks can be kept.
  CONFIDANT_DATA_DIR: z.string().min(1).optional(),
  CONFIDANT_CHAIN_PORT: z.coerce.number().int().min(0).max(65_535).default(8545),
  CONFIDANT_API_PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  CONFIDANT_STORAGE_PORT: z.coerce.number().int().min(0).max(65_535).default(5001),
  CONFIDANT_SMS_PORT: z.coerce.number().int().min(0).max(65_535).default(13300),
  CONFIDANT_WORKER_PORT: z.coerce.number().int().min(0).max(65_535).default(13400),
  // Apps are registered with their image reference, host and port included: keep it fixed.
  CONFIDANT_REGISTRY_PORT: z.coerce.number().int().min(0).max(65_535).default(13500),
  CONFIDANT_WEB_PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  DATABASE_URL: z.string().url().optional(),
});

export type DevnetEnv = {
  chainId: number;
  dataDir: string;
  chainPort: number;
  apiPort: number;
  storagePort: number;
  smsPort: number;
  workerPort: number;
  registryPort: number;
  webPort: number;
  databaseUrl: string | undefined;
};

/**
 * The local network's settings, from the environment: where its data lives and its ports.
 *
 * @example
 * const { dataDir, chainPort } = readDevnetEnv(process.env);
 * const iexecCompatible = readDevnetEnv(process.env, { chainId: '421614' }); // what `--chain-id` gives
 */
export function readDevnetEnv(
  source: Record<string, string | undefined> = process.env,
  overrides: { chainId?: string | undefined } = {},
): DevnetEnv {
  const settings = { ...source, ...(overrides.chainId === undefined ? {} : { CONFIDANT_CHAIN_ID: overrides.chainId }) };
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new DevnetConfigError(problems);
  }
  const chainId = parsed.data.CONFIDANT_CHAIN_ID;
  return {
    chainId,
    dataDir: resolve(parsed.data.CONFIDANT_DATA_DIR ?? (chainId === 31337 ? '.data' : `.data-${chainId}`)),
    chainPort: parsed.data.CONFIDANT_CHAIN_PORT,
    apiPort: parsed.data.CONFIDANT_API_PORT,
    storagePort: parsed.data.CONFIDANT_STORAGE_PORT,
    smsPort: parsed.data.CONFIDANT_SMS_PORT,
    workerPort: parsed.data.CONFIDANT_WORKER_PORT,
    registryPort: parsed.data.CONFIDANT_REGISTRY_PORT,
    webPort: parsed.data.CONFIDANT_WEB_PORT,
    databaseUrl: parsed.data.DATABASE_URL,
  };
}

/** The environment a service started as a child process gets: this one, plus its own settings. */
export function childEnvironment(settings: Record<string, string>): Record<string, string | undefined> {
  return { ...process.env, ...settings };
}
