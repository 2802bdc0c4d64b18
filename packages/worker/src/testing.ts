// Test doubles for the worker: an executor that signs results like an enclave, without running anything.
import { signEnclaveResult } from '@confidant/contracts';
import { type Hex, keccak256, stringToHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { TaskExecution, TaskExecutor, TaskToRun } from './executor.js';

export type SimulatedExecutorOptions = {
  /** Called when a run starts; its promise is awaited before the result is signed (to hold a run, or fail it by throwing). */
  onRun?: ((task: TaskToRun) => Promise<void> | void) | undefined;
  /** Makes every run fail with this exit cause. */
  failWith?: string | undefined;
};

export type SimulatedExecutor = TaskExecutor & {
  /** Every run started, in order. */
  runs: TaskToRun[];
  /** The most runs in flight at once. */
  maxInFlight(): number;
};

/**
 * An executor that behaves like an enclave on the chain's side: a fresh enclave key per run, the
 * workerpool's authorization asked for (as the SMS would), and a result signed by that key over the
 * worker and the task. Nothing is run, fetched or uploaded.
 *
 * @example
 * const executor = createSimulatedExecutor();
 * const worker = await startWorker({ ...settings, executor });
 */
export function createSimulatedExecutor(options: SimulatedExecutorOptions = {}): SimulatedExecutor {
  const runs: TaskToRun[] = [];
  let inFlight = 0;
  let most = 0;
  return {
    runs,
    maxInFlight: () => most,
    async execute(task): Promise<TaskExecution> {
      runs.push(task);
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        const enclave = privateKeyToAccount(generatePrivateKey());
        await task.authorize(enclave.address);
        await options.onRun?.(task);
        if (options.failWith) return { ok: false, exitCause: options.failWith, logs: `app: starting\napp: ${options.failWith}\n` };
        const resultDigest: Hex = keccak256(stringToHex(`result of ${task.taskId}`));
        const results = stringToHex(JSON.stringify({ storage: 'ipfs', location: `/ipfs/QmSimulated${task.taskId.slice(2, 10)}` }));
        const enclaveSign = await signEnclaveResult(enclave, { worker: task.worker, taskId: task.taskId, resultDigest });
        return {
          ok: true,
          resultDigest,
          results,
          enclaveChallenge: enclave.address,
          enclaveSign,
          logs: `app: hello from task ${task.index}\n`,
        };
      } finally {
        inFlight--;
      }
    },
  };
}
