import type { Address, Hex } from 'viem';

/** One task as the worker hands it to an executor: what the chain says about it, and how to get authorized. */
export type TaskToRun = {
  taskId: Hex;
  dealId: Hex;
  index: bigint;
  app: Address;
  /** Undefined when the deal uses no dataset. */
  dataset: Address | undefined;
  requester: Address;
  beneficiary: Address;
  /** The request order's params (JSON text: iexec_args, iexec_input_files, iexec_secrets, ...). */
  params: string;
  category: bigint;
  /** The category's reference time in seconds: the app's maximum run time. */
  maxTimeSeconds: number;
  /** The worker account that will contribute the result (enclave signatures bind it). */
  worker: Address;
  /** 1 for the first run, 2 after a restart interrupted the first, ... */
  attempt: number;
  /**
   * The workerpool owner's signature authorizing this worker and an enclave key on this task: what the
   * SMS asks for before it releases secrets to that enclave.
   */
  authorize(enclaveChallenge: Address): Promise<Hex>;
  /** Aborted when the worker stops: an executor should stop its enclave. */
  signal: AbortSignal;
};

/** A run that produced a signed result. */
export type SucceededExecution = {
  ok: true;
  /** The result digest the enclave signed (bytes32). */
  resultDigest: Hex;
  /** Where the result is, as bytes (e.g. the JSON `{"storage":"ipfs","location":"/ipfs/<cid>"}`). */
  results: Hex;
  /** Callback data (a callback deal's digest is its keccak256); `0x` or absent otherwise. */
  resultsCallback?: Hex | undefined;
  /** The enclave's one-task address. */
  enclaveChallenge: Address;
  /** signEnclaveResult by that enclave key. */
  enclaveSign: Hex;
  logs: string;
};

/** A run that ended without a result, with a cause the requester can read. */
export type FailedExecution = { ok: false; exitCause: string; logs: string };

export type TaskExecution = SucceededExecution | FailedExecution;

/**
 * Runs tasks in an enclave. The worker depends on this interface only, so that the enclave runtime
 * (createEnclaveExecutor) and test doubles (`@confidant/worker/testing`) are interchangeable.
 *
 * @example
 * const executor: TaskExecutor = { execute: async (task) => ({ ok: false, exitCause: 'this executor runs nothing', logs: '' }) };
 */
export type TaskExecutor = {
  execute(task: TaskToRun): Promise<TaskExecution>;
};
