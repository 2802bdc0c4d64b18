import {
  contributeAndFinalize,
  getTask,
  type GetTaskReturnType,
  initializeTask,
  type PocoWalletClient,
  signWorkerAuthorization,
  TaskNotFoundError,
  TaskStateError,
} from '@confidant/contracts';
import { BaseError } from '@confidant/errors';
import { type Address, getAddress, type Hex, type LocalAccount, zeroAddress } from 'viem';
import { raceStop } from './abort.js';
import { WorkerStoppedError } from './errors.js';
import type { TaskExecutor } from './executor.js';
import type { WorkerLogger } from './logger.js';
import type { DealRow, TaskRow, TaskStore } from './store.js';

/** What the steps of a task need: the state, the chain as the worker and the owner, the enclave. */
export type TaskContext = {
  store: TaskStore;
  /** Sends initialize and contributeAndFinalize. */
  worker: PocoWalletClient;
  /** The workerpool owner: signs worker authorizations. */
  owner: LocalAccount;
  executor: TaskExecutor;
  logger: WorkerLogger;
  /** Aborted when the worker stops. */
  signal: AbortSignal;
  /** Runs the worker's transactions one at a time (one account, one nonce sequence). */
  transaction<value>(send: () => Promise<value>): Promise<value>;
  /** Enclave runs a task may start (interrupted ones count) before it is FAILED. */
  maxAttempts: number;
};

/** A RUNNING task found after a restart is re-run only when this much time is left before its deadline. */
const RERUN_MARGIN_SECONDS = 30n;

/**
 * Takes a task as far as it can go: PENDING → INITIALIZED → RUNNING → FINALIZING → COMPLETED, or
 * FAILED. A RUNNING task it is handed was interrupted by a stop (nothing runs it in this process):
 * it is run again or failed. Returns when the task is final, or throws: the caller retries later
 * (WorkerStoppedError: the worker is stopping, the task stays where it was).
 *
 * @example
 * await advanceTask(context, await store.task(taskId));
 */
export async function advanceTask(ctx: TaskContext, start: TaskRow): Promise<TaskRow> {
  let row = start;
  for (;;) {
    if (ctx.signal.aborted) throw new WorkerStoppedError();
    const next = await step(ctx, row);
    // undefined: another step moved the task first; read where it is now.
    row = next ?? ((await ctx.store.task(row.taskId as Hex)) as TaskRow);
    if (row.status === 'COMPLETED' || row.status === 'FAILED') return row;
  }
}

async function step(ctx: TaskContext, row: TaskRow): Promise<TaskRow | undefined> {
  switch (row.status) {
    case 'PENDING':
      return initialize(ctx, row);
    case 'INITIALIZED':
      return run(ctx, row);
    case 'RUNNING':
      return recoverInterrupted(ctx, row);
    case 'FINALIZING':
      return finalize(ctx, row);
    default:
      return row;
  }
}

/** PENDING: initialize on chain, unless it already is (a restart, or another node of the pool). */
async function initialize(ctx: TaskContext, row: TaskRow): Promise<TaskRow | undefined> {
  let onChain = await readChainTask(ctx, row.taskId);
  if (!onChain) {
    try {
      const { hash } = await ctx.transaction(() => initializeTask(ctx.worker, { dealId: row.dealId as Hex, index: row.index }));
      await ctx.store.note(row.taskId, { log: [`initialized on chain (transaction ${hash})`] });
    } catch (error) {
      // Initialized by someone else in between: the chain decides below.
      if (!(error instanceof TaskStateError)) throw error;
    }
    onChain = await readChainTask(ctx, row.taskId);
    if (!onChain)
      throw new TaskStateError(
        row.taskId as Hex,
        'the task is still not initialized after initialize',
        'The worker retries at its next round.',
      );
  }
  return settleFromChain(ctx, row, onChain) ?? ctx.store.transition(row.taskId, ['PENDING'], 'INITIALIZED');
}

/** INITIALIZED: run in the enclave, keep the signed result (FINALIZING), or fail with the app's cause. */
async function run(ctx: TaskContext, row: TaskRow): Promise<TaskRow | undefined> {
  const onChain = await readChainTask(ctx, row.taskId);
  if (!onChain) return ctx.store.transition(row.taskId, ['INITIALIZED'], 'PENDING');
  const settled = await settleFromChain(ctx, row, onChain);
  if (settled) return settled;
  const secondsLeft = onChain.contributionDeadline - (await chainTime(ctx));
  if (secondsLeft <= 0n) return fail(ctx, row, ['INITIALIZED'], 'the contribution deadline passed before the task could run');
  const deal = (await ctx.store.deal(row.dealId)) as DealRow;

  const running = await ctx.store.transition(row.taskId, ['INITIALIZED'], 'RUNNING', {
    incrementAttempts: true,
    log: [`attempt ${row.attempts + 1}: running in the enclave`],
  });
  if (!running) return undefined;
  ctx.logger.info(`worker: task ${row.taskId} attempt ${running.attempts} started`);
  const workerAddress = ctx.worker.walletClient.account.address;
  let execution;
  try {
    execution = await raceStop(
      ctx.executor.execute({
        taskId: row.taskId as Hex,
        dealId: row.dealId as Hex,
        index: row.index,
        app: getAddress(deal.app),
        dataset: deal.dataset === zeroAddress ? undefined : getAddress(deal.dataset),
        requester: getAddress(deal.requester),
        beneficiary: getAddress(deal.beneficiary),
        params: deal.params,
        category: deal.category,
        maxTimeSeconds: Number(onChain.timeref),
        worker: workerAddress,
        attempt: running.attempts,
        authorize: (enclaveChallenge) =>
          signWorkerAuthorization(ctx.owner, { worker: workerAddress, taskId: row.taskId as Hex, enclaveChallenge }),
        signal: ctx.signal,
      }),
      ctx.signal,
      Number(secondsLeft) * 1000,
    );
  } catch (error) {
    // Stopping leaves the task RUNNING: the next start re-runs it if its deadline allows.
    if (error instanceof WorkerStoppedError) throw error;
    return fail(ctx, running, ['RUNNING'], `the enclave run failed: ${describe(error)}`);
  }
  if (!execution.ok) return fail(ctx, running, ['RUNNING'], `the app failed: ${execution.exitCause}`, execution.logs);
  const authorizationSign = await signWorkerAuthorization(ctx.owner, {
    worker: workerAddress,
    taskId: row.taskId as Hex,
    enclaveChallenge: execution.enclaveChallenge,
  });
  return ctx.store.transition(row.taskId, ['RUNNING'], 'FINALIZING', {
    output: execution.logs,
    log: [`attempt ${running.attempts}: result ${execution.resultDigest} signed by enclave ${execution.enclaveChallenge}`],
    result: {
      enclaveChallenge: execution.enclaveChallenge,
      resultDigest: execution.resultDigest,
      results: execution.results,
      resultsCallback: execution.resultsCallback ?? '0x',
      enclaveSign: execution.enclaveSign,
      authorizationSign,
    },
  });
}

/** RUNNING with nothing running it: the worker stopped mid-run. Run again while the deadline allows. */
async function recoverInterrupted(ctx: TaskContext, row: TaskRow): Promise<TaskRow | undefined> {
  const onChain = await readChainTask(ctx, row.taskId);
  if (onChain) {
    const settled = await settleFromChain(ctx, row, onChain);
    if (settled) return settled;
  }
  if (row.attempts >= ctx.maxAttempts) {
    return fail(ctx, row, ['RUNNING'], `the worker stopped during each of its ${row.attempts} runs of the task`);
  }
  if (onChain && onChain.contributionDeadline <= (await chainTime(ctx)) + RERUN_MARGIN_SECONDS) {
    return fail(ctx, row, ['RUNNING'], `the worker stopped during run ${row.attempts} and the contribution deadline has passed since`);
  }
  ctx.logger.info(`worker: task ${row.taskId} was interrupted during run ${row.attempts}; running it again`);
  // A fresh enclave (a new key, a new SMS session) runs it: enclave runs are idempotent.
  return ctx.store.transition(row.taskId, ['RUNNING'], 'INITIALIZED', {
    log: [`the worker stopped during attempt ${row.attempts}; running the task again`],
  });
}

/** FINALIZING: the chain first — a task already COMPLETED is never contributed twice (never paid twice). */
async function finalize(ctx: TaskContext, row: TaskRow): Promise<TaskRow | undefined> {
  const onChain = await readChainTask(ctx, row.taskId);
  if (!onChain) throw new TaskNotFoundError(row.taskId as Hex);
  const settled = await settleFromChain(ctx, row, onChain);
  if (settled) return settled;
  if (onChain.contributors.length > 0) return fail(ctx, row, ['FINALIZING'], 'another contribution is already on chain for this task');
  if (onChain.contributionDeadline <= (await chainTime(ctx)))
    return fail(ctx, row, ['FINALIZING'], 'the contribution deadline passed before the result could be contributed');
  try {
    const { hash } = await ctx.transaction(() =>
      contributeAndFinalize(ctx.worker, {
        taskId: row.taskId as Hex,
        resultDigest: row.resultDigest as Hex,
        results: row.results as Hex,
        resultsCallback: (row.resultsCallback ?? '0x') as Hex,
        enclaveChallenge: row.enclaveChallenge as Address,
        enclaveSign: row.enclaveSign as Hex,
        authorizationSign: row.authorizationSign as Hex,
      }),
    );
    ctx.logger.info(`worker: task ${row.taskId} completed`);
    return ctx.store.transition(row.taskId, ['FINALIZING'], 'COMPLETED', {
      cause: null,
      log: [`contributed and finalized on chain (transaction ${hash})`],
    });
  } catch (error) {
    // A refusal that names a broken rule is final; the task's state on chain is read again first.
    if (error instanceof BaseError && error.kind !== 'unavailable' && !(error instanceof TaskStateError)) {
      return fail(ctx, row, ['FINALIZING'], `the chain refused the result: ${describe(error)}`);
    }
    throw error;
  }
}

/** Settles a task the chain already decided: COMPLETED or FAILED (claimed) there. */
function settleFromChain(ctx: TaskContext, row: TaskRow, onChain: GetTaskReturnType): Promise<TaskRow | undefined> | undefined {
  if (onChain.status === 'COMPLETED') {
    return ctx.store.transition(row.taskId, [row.status], 'COMPLETED', {
      cause: null,
      log: ['the task is already COMPLETED on chain: nothing more to contribute'],
    });
  }
  if (onChain.status === 'FAILED')
    return fail(ctx, row, [row.status], 'the task was claimed on chain after its final deadline (the requester is refunded)');
  return undefined;
}

async function fail(
  ctx: TaskContext,
  row: TaskRow,
  from: TaskRow['status'][],
  cause: string,
  output?: string,
): Promise<TaskRow | undefined> {
  ctx.logger.info(`worker: task ${row.taskId} failed`);
  return ctx.store.transition(row.taskId, from, 'FAILED', { cause, output, log: [`FAILED: ${cause}`] });
}

async function readChainTask(ctx: TaskContext, taskId: string): Promise<GetTaskReturnType | undefined> {
  try {
    return await getTask(ctx.worker, { taskId: taskId as Hex });
  } catch (error) {
    if (error instanceof TaskNotFoundError) return undefined;
    throw error;
  }
}

async function chainTime(ctx: TaskContext): Promise<bigint> {
  return (await ctx.worker.publicClient.getBlock()).timestamp;
}

/** An error as one readable line for a task's log. */
export function describe(error: unknown): string {
  if (error instanceof BaseError) return `${error.name}: ${error.shortMessage}`;
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0]}`;
  return String(error);
}
