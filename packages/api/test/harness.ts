import { createTestDb } from '@confidant/db/testing';
import { type ChainAccount, type LocalChain, startLocalChain } from '@confidant/local-chain';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { createSiweMessage } from 'viem/siwe';
import type { AppRouter } from '../src/index.js';
import { type Api, startApi } from '../src/startApi.js';

export type Harness = {
  chain: LocalChain;
  api: Api;
  /** A tRPC client over HTTP, signed in with a session token when one is given. */
  client(token?: string): ReturnType<typeof createTRPCClient<AppRouter>>;
  /** Signs in with SIWE over HTTP and returns the session token. */
  signIn(account: ChainAccount): Promise<string>;
  /** Waits until the indexer has every block mined so far. */
  synced(): Promise<void>;
  stop(): Promise<void>;
};

/** A real local chain, a real database (PGlite, or PostgreSQL with DATABASE_URL) and the API over HTTP. */
export async function startHarness(): Promise<Harness> {
  const chain = await startLocalChain();
  const database = await createTestDb();
  const api = await startApi({
    network: 'local',
    rpcUrl: chain.rpcUrl,
    addresses: chain.addresses,
    database,
    indexerStartBlock: chain.startBlock,
    siweDomains: ['localhost'],
    // Tests read their own writes at once: the shared-answer cache has its own test.
    cacheTtlMs: 0,
  });
  const client = (token?: string) =>
    createTRPCClient<AppRouter>({
      links: [httpLink({ url: api.url, transformer: superjson, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) })],
    });
  return {
    chain,
    api,
    client,
    async signIn(account) {
      const { nonce } = await client().auth.nonce.mutate();
      const message = createSiweMessage({
        domain: 'localhost',
        address: account.address,
        uri: 'http://localhost/',
        version: '1',
        chainId: chain.chainId,
        nonce,
        statement: 'Sign in to Confidant',
      });
      const signature = await account.account.signMessage({ message });
      const { token } = await client().auth.verify.mutate({ message, signature });
      return token;
    },
    async synced() {
      const block = await chain.client().publicClient.getBlockNumber();
      await api.indexer.waitForBlock(block);
    },
    async stop() {
      await api.stop();
      await chain.stop();
    },
  };
}

/** The tRPC error code and message of a refused call. */
export async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: string | undefined; message: string; errorName: string | undefined; hints: string[] }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const data = error.data as { code?: string; errorName?: string; hints?: string[] } | undefined;
      return { code: data?.code, message: error.message, errorName: data?.errorName, hints: data?.hints ?? [] };
    }
    throw error;
  }
  throw new RangeError('expected the call to be refused, it succeeded');
}
