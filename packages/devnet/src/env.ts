import { resolve } from 'node:path';
import { z } from 'zod';
import { DevnetConfigError } from './errors.js';

const schema = z.object({
  CONFIDANT_DATA_DIR: z.string().min(1).default('.data'),
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
 */
export function readDevnetEnv(source: Record<string, string | undefined> = process.env): DevnetEnv {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new DevnetConfigError(problems);
  }
  return {
    dataDir: resolve(parsed.data.CONFIDANT_DATA_DIR),
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
