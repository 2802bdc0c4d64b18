import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createDataset } from '@confidant/contracts';
import { type ChainAccount, type LocalChain, startLocalChain } from '@confidant/local-chain';
import type { Address, Hex } from 'viem';
import type { SmsLogger } from '../src/logger.js';
import type { RateLimitOptions } from '../src/rateLimit.js';
import { type Sms, type StartSmsParameters, startSms } from '../src/startSms.js';

export type Harness = {
  chain: LocalChain;
  sms: Sms;
  /** The PGlite directory of `sms` (tests never use DATABASE_URL: they read the files). */
  dataDir: string;
  masterKey: string;
  /** Every line the SMS logged. */
  logs: string[];
  /** Starts another SMS on the same chain (by default on the same directory and key, after stopping the first). */
  restart(overrides?: Partial<StartSmsParameters>): Promise<Sms>;
  /** Registers a fresh dataset owned by the data owner (or another account). */
  createDataset(owner?: ChainAccount): Promise<Address>;
  /** Registers a fresh app owned by the publisher. */
  createApp(): Promise<Address>;
  /** An HTTP request to the current SMS. */
  send(path: string, init?: { method?: string; body?: string | Uint8Array; authorization?: string }): Promise<Response>;
  stop(): Promise<void>;
};

let unique = 0;

/** A real local chain, an SMS on PGlite in a temporary directory, and its log captured. */
export async function startHarness(
  options: { rateLimit?: RateLimitOptions | false; sms?: Partial<StartSmsParameters> } = {},
): Promise<Harness> {
  const chain = await startLocalChain();
  const dataDir = mkdtempSync(join(tmpdir(), 'confidant-sms-'));
  const masterKey = randomBytes(32).toString('base64');
  const logs: string[] = [];
  const logger: SmsLogger = { info: (line) => logs.push(line), error: (line) => logs.push(line) };
  const settings = (): StartSmsParameters => ({
    network: 'local',
    rpcUrl: chain.rpcUrl,
    addresses: chain.addresses,
    masterKey,
    dataDir,
    // Explicitly no database URL: these tests inspect PGlite's files even when DATABASE_URL is set.
    databaseUrl: undefined,
    rateLimit: options.rateLimit ?? false,
    logger,
    ...options.sms,
  });
  const harness: Harness = {
    chain,
    sms: await startSms(settings()),
    dataDir,
    masterKey,
    logs,
    async restart(overrides = {}) {
      await harness.sms.stop();
      harness.sms = await startSms({ ...settings(), ...overrides });
      return harness.sms;
    },
    async createDataset(owner = chain.accounts.dataOwner) {
      const id = unique++;
      const { address } = await createDataset(chain.client(owner), {
        name: `sms-test-data-${id}-${Date.now()}`,
        multiaddr: `/ipfs/sms-test-${id}`,
        checksum: `0x${randomBytes(32).toString('hex')}`,
      });
      return address;
    },
    async createApp() {
      const id = unique++;
      const { address } = await createApp(chain.client('publisher'), {
        name: `sms-test-app-${id}-${Date.now()}`,
        multiaddr: `bundle://sms-test-${id}`,
        checksum: `0x${randomBytes(32).toString('hex')}`,
      });
      return address;
    },
    send(path, init = {}) {
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (init.authorization !== undefined) headers.authorization = init.authorization;
      return fetch(`${harness.sms.url}${path}`, { method: init.method ?? 'GET', headers, body: init.body as RequestInit['body'] });
    },
    async stop() {
      await harness.sms.stop().catch(() => {});
      await chain.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** EIP-191 personal_sign over the 32 raw bytes of a challenge, as the Authorization header carries it. */
export function sign(account: ChainAccount, challenge: Hex): Promise<Hex> {
  return account.account.signMessage({ message: { raw: challenge } });
}

/** A fresh dataset key as the SDK pushes it: 32 random bytes in base64. */
export function randomKey(): string {
  return randomBytes(32).toString('base64');
}

/** The status and the JSON error of an answer. */
export async function answer(response: Response): Promise<{ status: number; error?: { name: string; message: string; hints?: string[] } }> {
  const text = await response.text();
  if (!text) return { status: response.status };
  const body = JSON.parse(text) as { error?: { name: string; message: string; hints?: string[] } };
  return { status: response.status, ...(body.error ? { error: body.error } : {}) };
}
