import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AssetNotFoundError,
  deposit,
  getApp,
  getEscrowBalance,
  getPocoDomain,
  getRlcBalance,
  getTask,
  getWorkerpool,
  presignOrder,
  transferApp,
  withdraw,
  InsufficientFundsError,
} from '@confidant/contracts';
import { parseUnits } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { ChainStateError, startLocalChain } from './index.js';
import { prepareTeeScenario, runTeeTask } from './testing.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'confidant-chain-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The anvil processes this test process started and that still run (Linux /proc). */
function anvilChildren(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').trim();
        const [, comm, rest] = /^\d+ \((.*)\) (.*)$/.exec(stat) ?? [];
        return comm === 'anvil' && Number(rest?.split(' ')[1]) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('startLocalChain', () => {
  it('funds every named account and creates the TEE workerpool of the scheduler', async () => {
    const chain = await startLocalChain();
    try {
      const client = chain.client();
      for (const role of ['publisher', 'dataOwner', 'requester', 'scheduler', 'worker'] as const) {
        const account = chain.accounts[role].address;
        expect(await getRlcBalance(client, { account })).toBe(parseUnits('10000', 9));
        expect(await getEscrowBalance(client, { account })).toEqual({ balance: parseUnits('1000', 9), frozen: 0n });
        expect(await client.publicClient.getBalance({ address: account })).toBeGreaterThan(parseUnits('1000', 18));
      }
      const workerpool = await getWorkerpool(client, { workerpool: chain.workerpool.address });
      expect(workerpool.owner).toBe(chain.accounts.scheduler.address);
      expect(chain.workerpool.tag).toBe(`0x${'0'.repeat(63)}9`);
      expect(await client.publicClient.getChainId()).toBe(31337);
    } finally {
      await chain.stop();
    }
  });

  it('stop() ends exactly the anvil it started, and two chains run side by side', async () => {
    const before = anvilChildren().length;
    const [a, b] = await Promise.all([startLocalChain(), startLocalChain()]);
    expect(a.rpcUrl).not.toBe(b.rpcUrl);
    expect(anvilChildren()).toHaveLength(before + 2);
    await a.stop();
    expect(anvilChildren()).toHaveLength(before + 1);
    await expect(a.client().publicClient.getBlockNumber()).rejects.toThrow();
    // The other network is untouched.
    expect(await b.client().publicClient.getBlockNumber()).toBeGreaterThan(0n);
    await b.stop();
    await a.stop(); // idempotent
    expect(anvilChildren()).toHaveLength(before);
  });

  it('keeps the chain in its data directory across a restart', async () => {
    const dataDir = tempDir();
    const first = await startLocalChain({ dataDir });
    expect(first.deployed).toBe(true);
    const scenario = await prepareTeeScenario(first);
    const { taskId } = await runTeeTask(first, scenario);
    await first.stop();

    const second = await startLocalChain({ dataDir });
    try {
      expect(second.deployed).toBe(false);
      expect(second.addresses).toEqual(first.addresses);
      expect(second.workerpool).toEqual(first.workerpool);
      const client = second.client();
      expect((await getApp(client, { app: scenario.app })).owner).toBe(second.accounts.publisher.address);
      expect((await getTask(client, { taskId })).status).toBe('COMPLETED');
      // The restored chain still works.
      await runTeeTask(second, await prepareTeeScenario(second));
    } finally {
      await second.stop();
    }
  });

  it('refuses a data directory whose description is not one', async () => {
    const dataDir = tempDir();
    const chain = await startLocalChain({ dataDir });
    await chain.stop();
    writeFileSync(join(dataDir, 'chain.json'), '{"version": 99}');
    const error = await startLocalChain({ dataDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChainStateError);
    expect((error as ChainStateError).message).toContain(`Delete ${dataDir} to start from a fresh chain.`);
  });

  it('runs under chain id 421614 on request, keeps it in its data directory, and refuses to restart it under another', async () => {
    const dataDir = tempDir();
    const chain = await startLocalChain({ dataDir, chainId: 421614 });
    expect(chain.chainId).toBe(421614);
    expect(await chain.client().publicClient.getChainId()).toBe(421614);
    // Orders are signed for the chain id PoCo was deployed under.
    expect((await getPocoDomain(chain.client())).chainId).toBe(421614);
    await chain.stop();
    await expect(startLocalChain({ dataDir })).rejects.toThrowError(
      /runs under chain id 421614, not 31337[\s\S]*Start with chain id 421614, or use another data directory for chain id 31337/,
    );
    const again = await startLocalChain({ dataDir, chainId: 421614 });
    expect(again.deployed).toBe(false);
    await again.stop();
    await expect(startLocalChain({ chainId: 42161 })).rejects.toThrowError(/cannot run under chain id 42161/);
  });

  it('leaves no anvil behind when it fails', async () => {
    const dataDir = tempDir();
    const chain = await startLocalChain({ dataDir });
    await chain.stop();
    const before = anvilChildren().length;
    writeFileSync(join(dataDir, 'chain.json'), 'not json');
    await expect(startLocalChain({ dataDir })).rejects.toBeInstanceOf(ChainStateError);
    expect(anvilChildren()).toHaveLength(before);
  });
});

describe('assets, escrow and presigned orders on the chain', () => {
  it('transfers an app, moves RLC in and out of escrow, and matches a presigned order', async () => {
    const chain = await startLocalChain();
    try {
      const client = chain.client();
      const scenario = await prepareTeeScenario(chain);
      const newOwner = chain.account(6);
      await transferApp(chain.client('publisher'), { app: scenario.app, to: newOwner.address });
      expect((await getApp(client, { app: scenario.app })).owner).toBe(newOwner.address);
      await expect(getApp(client, { app: newOwner.address })).rejects.toBeInstanceOf(AssetNotFoundError);

      const dataOwner = chain.accounts.dataOwner.address;
      const before = await getEscrowBalance(client, { account: dataOwner });
      const rlcBefore = await getRlcBalance(client, { account: dataOwner });
      await deposit(chain.client('dataOwner'), { amount: 5n });
      await withdraw(chain.client('dataOwner'), { amount: 2n });
      expect(await getEscrowBalance(client, { account: dataOwner })).toEqual({ balance: before.balance + 3n, frozen: 0n });
      expect(await getRlcBalance(client, { account: dataOwner })).toBe(rlcBefore - 3n);
      await expect(withdraw(chain.client('dataOwner'), { amount: before.balance + 4n })).rejects.toBeInstanceOf(InsufficientFundsError);
      await expect(deposit(chain.client(chain.account(9)), { amount: 1n })).rejects.toBeInstanceOf(InsufficientFundsError);

      // A presigned dataset order matches with an empty signature.
      const fresh = await prepareTeeScenario(chain);
      await presignOrder(chain.client('dataOwner'), { kind: 'dataset', order: fresh.datasetOrder });
      const { taskId } = await runTeeTask(chain, { ...fresh, datasetOrder: { ...fresh.datasetOrder, sign: '0x' } });
      expect((await getTask(client, { taskId })).status).toBe('COMPLETED');
    } finally {
      await chain.stop();
    }
  });
});
