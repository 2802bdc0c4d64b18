import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getEscrowBalance, matchOrders } from '@confidant/contracts';
import type { LocalChain } from '@confidant/local-chain';
import { prepareTeeScenario, type TeeScenario } from '@confidant/local-chain/testing';
import type { Hex } from 'viem';
import { silentLogger, startWorker, type StartWorkerParameters, type TaskRow, type Worker } from '../src/index.js';

/** A worker on the local chain's workerpool, polling fast, silent, with the given executor. */
export function startTestWorker(chain: LocalChain, overrides: Partial<StartWorkerParameters> = {}): Promise<Worker> {
  return startWorker({
    network: 'local',
    rpcUrl: chain.rpcUrl,
    addresses: chain.addresses,
    workerpool: chain.workerpool.address,
    workerpoolOwnerKey: chain.accounts.scheduler.privateKey,
    workerKey: chain.accounts.worker.privateKey,
    pollIntervalMs: 25,
    logger: silentLogger,
    ...overrides,
  });
}

/** A deal of `volume` tasks on the local workerpool, matched by the requester. */
export async function matchDeal(chain: LocalChain, volume = 1n): Promise<{ dealId: Hex; scenario: TeeScenario }> {
  const scenario = await prepareTeeScenario(chain, { volume });
  const { dealId } = await matchOrders(chain.client('requester'), scenario);
  return { dealId, scenario };
}

/** Polls until `read` returns something truthy (or throws after `timeoutMs`). */
export async function waitFor<value>(
  read: () => Promise<value | undefined | false>,
  timeoutMs = 20_000,
  what = 'the condition',
): Promise<value> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The worker's rows for a deal's tasks, once they all reached one of `statuses`. */
export function waitForDealTasks(worker: Worker, dealId: Hex, count: number, statuses: TaskRow['status'][]): Promise<TaskRow[]> {
  return waitFor(
    async () => {
      const rows = (await worker.store.tasksIn(['PENDING', 'INITIALIZED', 'RUNNING', 'FINALIZING', 'COMPLETED', 'FAILED'])).filter(
        (row) => row.dealId === dealId.toLowerCase(),
      );
      return rows.length === count && rows.every((row) => statuses.includes(row.status)) ? rows : undefined;
    },
    20_000,
    `the ${count} task(s) of deal ${dealId} to be ${statuses.join(' or ')}`,
  );
}

/** Escrow balances of the roles a task pays. */
export async function escrowBalances(chain: LocalChain) {
  const client = chain.client();
  const roles = ['requester', 'publisher', 'dataOwner', 'worker', 'scheduler'] as const;
  const entries = await Promise.all(
    roles.map(async (role) => [role, (await getEscrowBalance(client, { account: chain.accounts[role].address })).balance] as const),
  );
  return Object.fromEntries(entries) as Record<(typeof roles)[number], bigint>;
}

/** A fresh temporary folder, removed by the returned function. */
export function temporaryDir(prefix = 'confidant-worker-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A promise with its resolver, to hold an executor in the middle of a run. */
export function deferred<value = void>(): { promise: Promise<value>; resolve(value: value): void } {
  let resolve!: (value: value) => void;
  const promise = new Promise<value>((r) => (resolve = r));
  return { promise, resolve };
}
