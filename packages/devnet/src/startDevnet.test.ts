import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '@confidant/api';
import superjson from 'superjson';
import { expect, it } from 'vitest';
import { startDevnet } from './startDevnet.js';

it('starts the chain and the API indexing it, and stops both', async () => {
  const devnet = await startDevnet();
  try {
    const health = await fetch(devnet.api.url.replace(/\/trpc$/, '/health'));
    expect(health.status).toBe(200);
    const api = createTRPCClient<AppRouter>({ links: [httpLink({ url: devnet.api.url, transformer: superjson })] });
    await devnet.api.indexer.waitForBlock(await devnet.chain.client().publicClient.getBlockNumber());
    const overview = await api.stats.overview.query();
    // The deployment created the scheduler's workerpool; no app or data yet.
    expect(overview).toMatchObject({ apps: 0, protectedData: 0, tasks: 0 });
    expect(overview.indexedBlock).toBeGreaterThanOrEqual(devnet.chain.startBlock);
  } finally {
    await devnet.stop();
  }
  await expect(fetch(devnet.api.url.replace(/\/trpc$/, '/health'))).rejects.toThrow();
});
