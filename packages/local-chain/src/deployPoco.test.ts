import { createPocoClient, getPocoDomain, getWorkerpool } from '@confidant/contracts';
import type { Hex } from 'viem';
import { expect, it } from 'vitest';
import { namedAccounts } from './accounts.js';
import { startAnvil } from './anvil.js';
import { defaultFunding, deployPoco } from './index.js';
import { type JsonRpc, jsonRpc } from './jsonRpc.js';

// Regression: under heavy load anvil once lost one transaction of the deployment batch and every
// later nonce stayed queued behind the gap until the 30 s timeout. Here the node loses one on
// purpose, right after the batch is sent; the deployer must notice the stall and recover.
it('finishes the deployment when the node loses one of its transactions', async () => {
  const anvil = await startAnvil();
  try {
    const rpc = jsonRpc(anvil.rpcUrl);
    const losing: JsonRpc = {
      ...rpc,
      async batch<T>(requests: { method: string; params: unknown[] }[]) {
        const answers = await rpc.batch<T>(requests);
        if (requests[0]?.method === 'eth_sendTransaction') await rpc.call('anvil_dropTransaction', [answers[16] as Hex]);
        return answers;
      },
    };
    const accounts = namedAccounts();
    const started = performance.now();
    const { addresses, workerpool } = await deployPoco({
      rpc: losing,
      deployer: accounts.deployer.address,
      funded: [accounts.requester.address],
      funding: defaultFunding,
      workerpoolOwner: accounts.scheduler.address,
      workerpoolDescription: 'resilient',
    });
    // Recovered after the one-second stall, not after the 30-second timeout.
    expect(performance.now() - started).toBeLessThan(10_000);
    const client = createPocoClient({ network: 'local', rpcUrl: anvil.rpcUrl, addresses });
    expect((await getPocoDomain(client)).name).toBe('iExecODB');
    expect((await getWorkerpool(client, { workerpool })).owner).toBe(accounts.scheduler.address);
  } finally {
    await anvil.stop();
  }
});
