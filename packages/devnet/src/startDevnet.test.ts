import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataset, type PocoWalletClient, web3SecretChallenge } from '@confidant/contracts';
import { createApiClient } from '@confidant/sdk';
import { expect, it } from 'vitest';
import { startDevnet } from './startDevnet.js';

it('starts the chain, the API indexing it, the IPFS storage and the SMS, and stops them', async () => {
  const devnet = await startDevnet();
  try {
    const health = await fetch(devnet.api.url.replace(/\/trpc$/, '/health'));
    expect(health.status).toBe(200);
    const api = createApiClient(devnet.api.url);
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
    expect((await fetch(`${devnet.sms.url}/health`)).status).toBe(200);
    expect((await fetch(`${devnet.worker.url}/health`)).status).toBe(200);
  } finally {
    await devnet.stop();
  }
  await expect(fetch(devnet.api.url.replace(/\/trpc$/, '/health'))).rejects.toThrow();
  await expect(fetch(`${devnet.storage.gatewayUrl}/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o`)).rejects.toThrow();
  await expect(fetch(`${devnet.sms.url}/health`)).rejects.toThrow();
});

it("keeps the SMS's secrets and master key across a restart from the data directory", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'devnet-'));
  try {
    let devnet = await startDevnet({ dataDir });
    const owner = devnet.chain.client('dataOwner') as PocoWalletClient;
    const { address } = await createDataset(owner, {
      name: 'kept',
      multiaddr: '/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o',
      checksum: `0x${'11'.repeat(32)}`,
    });
    const key = Buffer.alloc(32, 9).toString('base64');
    const authorization = await owner.walletClient.signMessage({
      message: { raw: web3SecretChallenge({ secretAddress: address, value: key }) },
    });
    const pushed = await fetch(`${devnet.sms.url}/secrets/web3?secretAddress=${address}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'text/plain' },
      body: key,
    });
    expect(pushed.status).toBe(204);
    await devnet.stop();

    devnet = await startDevnet({ dataDir });
    try {
      expect(devnet.chain.deployed).toBe(false);
      expect(await devnet.sms.readSecret('web3', address)).toBe(key);
      expect(statSync(join(dataDir, 'sms-master.key')).mode & 0o777).toBe(0o600);
    } finally {
      await devnet.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
