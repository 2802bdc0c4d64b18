import { createPocoClient, type NetworkName, type PocoAddresses } from '@confidant/contracts';
import { createLineLogger } from '@confidant/server';
import { http } from 'viem';
import { createSmsDb, type SmsDbClient } from './db.js';
import { secretIdentity, type SecretKind } from './identity.js';
import { processLogger, type SmsLogger } from './logger.js';
import { type MasterKeyInput, parseMasterKey } from './masterKey.js';
import { createRateLimiter, defaultRateLimit, type RateLimitOptions } from './rateLimit.js';
import { type SmsServer, startSmsServer } from './server.js';
import { createSmsServices, type SmsServices } from './services.js';
import { openSecretStore } from './store.js';
import { createTeeChain } from './tee/chain.js';
import { createChallengeStore } from './tee/challengeStore.js';
import { createGrantExpiryChecker } from './tee/grants.js';
import { resolveVerifier, type VerifierOption } from './tee/verifier.js';

export type StartSmsParameters = {
  network: NetworkName;
  /** For the local network: its node's chain id (31337 by default, or 421614). */
  chainId?: number | undefined;
  rpcUrl: string;
  /** Required for the local network. */
  addresses?: PocoAddresses | undefined;
  /** 32 bytes, or their base64 or hex: every secret is encrypted under it. Keep it with the database. */
  masterKey: MasterKeyInput;
  /** A PostgreSQL URL; when absent the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory when no database URL is given (in memory when absent). */
  dataDir?: string | undefined;
  host?: string | undefined;
  /** 0 (default) picks a free port. */
  port?: number | undefined;
  /** Per-client limit on pushes (default 30 per 10 s); `false` turns it off. */
  rateLimit?: RateLimitOptions | false | undefined;
  /** Default: stdout and stderr. Every line is redacted (see @confidant/server's redact) before it reaches the logger. */
  logger?: SmsLogger | undefined;
  /**
   * Who vouches for enclaves: a verifier, or the simulation roots to trust. Default: the production
   * configuration, which trusts no simulation root (a misconfigured SMS releases nothing).
   */
  verifier?: VerifierOption | undefined;
  /**
   * The marketplace API's tRPC URL (e.g. http://127.0.0.1:4000/trpc), asked whether a grant expired.
   * Without it grant expiry is not enforced (and each session says so in the log). A function is
   * asked at each check, for an API started after (or alongside) the SMS; until it gives a URL,
   * grants with an expiry cannot be checked.
   */
  apiUrl?: string | (() => string | undefined) | undefined;
  /** How long a TEE challenge nonce stays valid, in seconds (default 600). */
  challengeTtlSeconds?: number | undefined;
};

export type Sms = {
  url: string;
  server: SmsServer;
  database: SmsDbClient;
  services: SmsServices;
  /**
   * A stored secret, decrypted, or undefined (internal: for the release side and tests). `name` is the
   * web2 name or the requester key; datasets and apps have none.
   */
  readSecret(kind: SecretKind, address: string, name?: string): Promise<string | undefined>;
  /** Stops the HTTP server, then the database; calling it again waits for the same stop. */
  stop(): Promise<void>;
};

/**
 * Starts the Secret Management Service: checks the master key, opens (and migrates) its database,
 * and serves the push API and the release side (TEE challenges and sessions).
 *
 * @example
 * const sms = await startSms({ network: 'local', rpcUrl, addresses, masterKey, dataDir: '.data/sms-db' });
 * await sms.stop();
 */
export async function startSms(parameters: StartSmsParameters): Promise<Sms> {
  // Before anything is opened: a bad key must not leave a database or a port behind.
  const masterKey = parseMasterKey(parameters.masterKey);
  const poco = createPocoClient({
    network: parameters.network,
    chainId: parameters.chainId,
    addresses: parameters.addresses,
    rpcUrl: parameters.rpcUrl,
    transport: http(parameters.rpcUrl, { batch: false, retryCount: 2, timeout: 10_000 }),
  });
  const database = await createSmsDb({ url: parameters.databaseUrl, dataDir: parameters.dataDir });
  try {
    const store = await openSecretStore({ db: database.db, masterKey });
    const rateLimit = parameters.rateLimit ?? defaultRateLimit;
    // Whatever the sink, a line is redacted before it reaches it.
    const logger = parameters.logger ? createLineLogger(parameters.logger) : processLogger;
    const { verifier, description } = resolveVerifier(parameters.verifier);
    const tee = {
      challenges: createChallengeStore({ db: database.db, ttlSeconds: parameters.challengeTtlSeconds }),
      chain: createTeeChain(poco),
      verifier,
      grants: createGrantExpiryChecker({ apiUrl: parameters.apiUrl }),
    };
    logger.info(
      `sms: tee sessions: ${description}; grant expiry ${parameters.apiUrl ? 'checked with the marketplace API' : 'not enforced (no API URL)'}`,
    );
    const services = createSmsServices({
      store,
      tee,
      poco,
      db: database.db,
      logger,
      rateLimiter: rateLimit === false ? undefined : createRateLimiter(rateLimit),
    });
    const server = await startSmsServer({ services, host: parameters.host, port: parameters.port });
    let stopping: Promise<void> | undefined;
    return {
      url: server.url,
      server,
      database,
      services,
      readSecret: (kind, address, name) => store.read(secretIdentity(kind, address, name)),
      stop() {
        stopping ??= server.close().then(() => database.close());
        return stopping;
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
