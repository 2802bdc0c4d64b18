import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '@confidant/api';
import superjson from 'superjson';
import { expect, it } from 'vitest';
import { startDevnet } from './startDevnet.js';

it('starts the chain, the API indexing it and the IPFS storage, and stops them', async () => {
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
    const form = new FormData();
    form.append('file', new Blob(['hello world\n']));
    const added = (await (await fetch(`${devnet.storage.apiUrl}/api/v0/add`, { method: 'POST', body: form })).json()) as { Hash: string };
    expect(added).toMatchObject({ Hash: 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o' });
    expect(await (await fetch(`${devnet.storage.gatewayUrl}/ipfs/${added.Hash}`)).text()).toBe('hello world\n');
  } finally {
    await devnet.stop();
  }
  await expect(fetch(devnet.api.url.replace(/\/trpc$/, '/health'))).rejects.toThrow();
  await expect(fetch(`${devnet.storage.gatewayUrl}/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o`)).rejects.toThrow();
});
