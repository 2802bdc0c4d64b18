import { createPocoClient, getPocoDomain, getWorkerpool } from '@confidant/contracts';
import type { Hex } from 'viem';
import { expect, it } from 'vitest';
import { namedAccounts } from './accounts.js';
import { startAnvil } from './anvil.js';
import { defaultFunding, deployPoco } from './index.js';
import { jsonRpc } from './jsonRpc.js';

// Regression: under heavy load anvil once lost one transaction of the deployment batch and every
// later nonce stayed queued behind the gap until the 30 s timeout. The deployer now resends what
// the node forgot. Here the node mines only on request and one transaction is dropped on purpose.
it('finishes the deployment when the node drops one of its transactions', async () => {
  const anvil = await startAnvil({ manualMining: true });
  try {
    const rpc = jsonRpc(anvil.rpcUrl);
    const accounts = namedAccounts();
    const deployment = deployPoco({
      rpc,
      deployer: accounts.deployer.address,
      funded: [accounts.requester.address],
      funding: defaultFunding,
      workerpoolOwner: accounts.scheduler.address,
      workerpoolDescription: 'resilient',
    });
    let pending: { pending: Record<string, Record<string, unknown>> } = { pending: {} };
    const queued = () => Object.values(pending.pending).reduce((sum, byNonce) => sum + Object.keys(byNonce).length, 0);
    for (let i = 0; i < 200 && queued() < 30; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      pending = await rpc.call('txpool_content', []);
    }
    const sender = Object.keys(pending.pending)[0] as string;
    const dropped = (pending.pending[sender]?.['16'] as { hash: Hex } | undefined)?.hash;
    expect(dropped).toBeDefined();
    await rpc.call('anvil_dropTransaction', [dropped]);
    await rpc.call('evm_mine', []);
    // The deployer notices the stall after a second and resends the lost transaction.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await rpc.call('evm_mine', []);
    const { addresses, workerpool } = await deployment;
    const client = createPocoClient({ network: 'local', rpcUrl: anvil.rpcUrl, addresses });
    expect((await getPocoDomain(client)).name).toBe('iExecODB');
    expect((await getWorkerpool(client, { workerpool })).owner).toBe(accounts.scheduler.address);
  } finally {
    await anvil.stop();
  }
});
