import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Api, startApi } from '@confidant/api';
import { type LocalChain, startLocalChain } from '@confidant/local-chain';
import { type Sms, startSms } from '@confidant/sms';
import { type DevnetStorage, startStorage } from './storage/storage.js';

export type StartDevnetParameters = {
  /** Where everything keeps its data across restarts; omit for a throw-away network. */
  dataDir?: string | undefined;
  /** The chain's JSON-RPC port; 0 (default) picks a free one. */
  chainPort?: number | undefined;
  /** The API's port; 0 (default) picks a free one. */
  apiPort?: number | undefined;
  /** The IPFS storage's port (kubo RPC and gateway); 0 (default) picks a free one. */
  storagePort?: number | undefined;
  /** The SMS's port; 0 (default) picks a free one. */
  smsPort?: number | undefined;
  /** PostgreSQL for the API and the SMS instead of the embedded PGlite. */
  databaseUrl?: string | undefined;
  /** Called when the indexer hits an error it recovers from. */
  onIndexerError?: ((error: unknown) => void) | undefined;
};

export type Devnet = {
  chain: LocalChain;
  api: Api;
  /** The local IPFS storage: kubo's `POST ${apiUrl}/api/v0/add` and the gateway `GET ${gatewayUrl}/ipfs/<cid>`. */
  storage: Pick<DevnetStorage, 'apiUrl' | 'gatewayUrl'>;
  /** The Secret Management Service (`readSecret` is for tests and the local enclave runtime). */
  sms: Pick<Sms, 'url' | 'readSecret'>;
  /** Stops every service this call started, then the chain. */
  stop(): Promise<void>;
};

/**
 * Starts the whole local network: the chain with PoCo deployed, the IPFS storage, then the
 * marketplace API and its indexer against the chain.
 *
 * @example
 * const devnet = await startDevnet({ dataDir: '.data' });
 * console.log(devnet.chain.rpcUrl, devnet.api.url, devnet.storage.gatewayUrl);
 * await devnet.stop();
 */
export async function startDevnet(parameters: StartDevnetParameters = {}): Promise<Devnet> {
  const chain = await startLocalChain({
    port: parameters.chainPort,
    dataDir: parameters.dataDir ? join(parameters.dataDir, 'chain') : undefined,
  });
  const storage = await startStorage({ dataDir: parameters.dataDir ? join(parameters.dataDir, 'ipfs') : undefined, port: parameters.storagePort }).catch(async (error: unknown) => {
    await chain.stop();
    throw error;
  });
  let sms: Sms | undefined;
  try {
    const apiDbDir = parameters.dataDir ? join(parameters.dataDir, 'api-db') : undefined;
    const smsDbDir = parameters.dataDir ? join(parameters.dataDir, 'sms-db') : undefined;
    // A newly deployed chain makes any index, and any secret, of a previous one meaningless.
    if (chain.deployed && apiDbDir) rmSync(apiDbDir, { recursive: true, force: true });
    if (chain.deployed && smsDbDir) rmSync(smsDbDir, { recursive: true, force: true });
    sms = await startSms({
      network: 'local',
      rpcUrl: chain.rpcUrl,
      addresses: chain.addresses,
      masterKey: parameters.dataDir ? localMasterKey(parameters.dataDir) : randomBytes(32),
      databaseUrl: parameters.databaseUrl,
      dataDir: smsDbDir,
      port: parameters.smsPort,
    });
    const api = await startApi({
      network: 'local',
      rpcUrl: chain.rpcUrl,
      addresses: chain.addresses,
      databaseUrl: parameters.databaseUrl,
      dataDir: apiDbDir,
      port: parameters.apiPort,
      indexerStartBlock: chain.startBlock,
      onIndexerError: parameters.onIndexerError,
    });
    return {
      chain,
      api,
      storage: { apiUrl: storage.apiUrl, gatewayUrl: storage.gatewayUrl },
      sms: { url: sms.url, readSecret: sms.readSecret },
      async stop() {
        await api.stop();
        await sms?.stop();
        await storage.stop();
        await chain.stop();
      },
    };
  } catch (error) {
    await sms?.stop();
    await storage.stop();
    await chain.stop();
    throw error;
  }
}

/**
 * The local SMS's master key, made once and kept beside its database (readable by this user
 * only): a local network has no secret store to take it from.
 */
function localMasterKey(dataDir: string): Uint8Array {
  const file = join(dataDir, 'sms-master.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return new Uint8Array(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
}
