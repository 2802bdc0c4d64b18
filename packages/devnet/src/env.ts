import { resolve } from 'node:path';
import { z } from 'zod';
import { DevnetConfigError } from './errors.js';

const schema = z.object({
  CONFIDANT_DATA_DIR: z.string().min(1).default('.data'),
  CONFIDANT_CHAIN_PORT: z.coerce.number().int().min(0).max(65_535).default(8545),
});

export type DevnetEnv = { dataDir: string; chainPort: number };

/**
 * The local network's settings, from the environment: where its data lives and its chain port.
 *
 * @example
 * const { dataDir, chainPort } = readDevnetEnv(process.env);
 */
export function readDevnetEnv(source: Record<string, string | undefined> = process.env): DevnetEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new DevnetConfigError(problems);
  }
  return { dataDir: resolve(parsed.data.CONFIDANT_DATA_DIR), chainPort: parsed.data.CONFIDANT_CHAIN_PORT };
}
