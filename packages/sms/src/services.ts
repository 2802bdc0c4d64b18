import { AssetNotFoundError, getAssetOwner, type PocoClient } from '@confidant/contracts';
import { sql } from 'drizzle-orm';
import type { Address } from 'viem';
import type { SmsDatabase } from './db.js';
import { ChainUnavailableError, UnknownAssetError } from './errors.js';
import type { SmsLogger } from './logger.js';
import type { RateLimiter } from './rateLimit.js';
import type { SecretStore } from './store.js';
import type { TeeServices } from './tee/session.js';

/** What the SMS's routes use: the store, the chain's answer to "who owns this", the release side, a log, a rate limit. */
export type SmsServices = {
  store: SecretStore;
  /** The release side: challenges, chain reads, the quote verifier, the grant expiry check. */
  tee: TeeServices;
  /** The current on-chain owner; UnknownAssetError when unregistered, ChainUnavailableError when the chain does not answer. */
  assetOwner(kind: 'app' | 'dataset', address: Address): Promise<Address>;
  /** Whether the database and the chain answer (readiness). */
  health(): Promise<{ database: boolean; chain: boolean }>;
  logger: SmsLogger;
  /** Applied to writes (POST, PUT: pushes, TEE challenges and sessions); none when absent. */
  rateLimiter: RateLimiter | undefined;
};

const HEALTH_TIMEOUT_MS = 2_000;

/**
 * The SMS's services over a secret store, a PoCo client and the database.
 *
 * @example
 * const services = createSmsServices({ store, tee, poco, db, logger: processLogger, rateLimiter: createRateLimiter() });
 */
export function createSmsServices(parameters: {
  store: SecretStore;
  tee: TeeServices;
  poco: PocoClient;
  db: SmsDatabase;
  logger: SmsLogger;
  rateLimiter: RateLimiter | undefined;
}): SmsServices {
  const { poco, db } = parameters;
  return {
    store: parameters.store,
    tee: parameters.tee,
    logger: parameters.logger,
    rateLimiter: parameters.rateLimiter,
    async assetOwner(kind, address) {
      try {
        return await getAssetOwner(poco, { kind, address });
      } catch (error) {
        if (error instanceof AssetNotFoundError) throw new UnknownAssetError(kind, address);
        throw new ChainUnavailableError(error);
      }
    },
    async health() {
      const [database, chain] = await Promise.all([
        answers(() => db.execute(sql`select 1`)),
        answers(() => poco.publicClient.getBlockNumber({ cacheTime: 0 })),
      ]);
      return { database, chain };
    },
  };
}

async function answers(probe: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      probe().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
