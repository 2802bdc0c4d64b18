import type { Command } from 'commander';
import { type Action, action } from '../../action.js';
import { CliError, EXIT } from '../../output.js';
import { collect, parseAddress, parseMaxPrices, parsePair } from './parse.js';
import { stepsOf } from './protect.js';
import { formatFiles, writeResultFiles } from './resultFiles.js';
import { useStoredResultKey } from './resultKey.js';

/** The context module loads zod and more: only when a command runs. */
const context = () => import('../../context.js');

const STEPS: Record<string, string> = {
  FETCH_ORDERS: 'Finding the app, data and workerpool orders',
  PUSH_REQUESTER_SECRET: 'Handing your secrets to the SMS',
  PUSH_ENCRYPTION_KEY: 'Handing your result key to the SMS',
  REQUEST_TO_PROCESS_PROTECTED_DATA: 'Requesting the run on chain',
  CONSUME_TASK: 'Waiting for the task',
  CONSUME_RESULT_DOWNLOAD: 'Downloading the result',
  CONSUME_RESULT_DECRYPT: 'Decrypting the result',
};

type RunOptions = {
  data?: string;
  args?: string;
  inputFile: string[];
  secret: string[];
  maxPrice?: string;
  workerpool?: string;
  out?: string;
  wait: boolean;
  timeout: string;
};

/** The SDK's refusals, turned into what the user should do next with this CLI. */
export async function explainRunError(error: unknown, taskId?: string): Promise<never> {
  const { NoMatchingOrderError, TaskNotCompletedError } = await import('@confidant/sdk');
  if (error instanceof NoMatchingOrderError && error.order === 'dataset') {
    throw new CliError(
      error.shortMessage,
      'Ask the owner of the protected data to run `confidant grant <data> --app <app> --user <your address>` (see `confidant wallet show`), or raise --max-price data=<nRLC>.',
      EXIT.forbidden,
    );
  }
  if (error instanceof TaskNotCompletedError) {
    throw new CliError(error.shortMessage, `See why with \`confidant task logs ${error.taskId}\`.`, EXIT.appFailed);
  }
  if (taskId)
    throw new CliError(
      error instanceof Error ? (error.message.split('\n')[0] ?? String(error)) : String(error),
      `The task ${taskId} may still finish: check it with \`confidant task show ${taskId}\`.`,
      EXIT.failure,
    );
  throw error;
}

/** The run command's action: check the options, run the app, then write its result into --out. */
const runApp: Action<[string, RunOptions]> = async ({ global, output }, appInput, options) => {
  const app = parseAddress('the app', appInput);
  const protectedData = options.data ? parseAddress('--data', options.data) : undefined;
  const secrets: Record<number, string> = {};
  for (const entry of options.secret) {
    const [index, value] = parsePair('--secret', entry);
    if (!/^[1-9]\d*$/.test(index))
      throw new CliError(`--secret index "${index.slice(0, 10)}" is not 1, 2, 3…`, 'Write --secret 1=value, --secret 2=value…');
    secrets[Number(index)] = value;
  }
  const maxPrices = options.maxPrice ? parseMaxPrices(options.maxPrice) : undefined;
  const timeout = Number(options.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new CliError(`--timeout ${options.timeout} is not a number of seconds`, 'Give --timeout in seconds, e.g. 600.');

  const { client, network } = await (await context()).clientFor(global);
  const workerpool = options.workerpool
    ? parseAddress('--workerpool', options.workerpool)
    : network.workerpool
      ? parseAddress('the network file workerpool', network.workerpool)
      : undefined;
  const { getApp } = await import('@confidant/contracts');
  await getApp(client.poco, { app });
  await useStoredResultKey(client, await (await context()).requireWalletAddress(), { create: true });

  const { processProtectedData } = await import('@confidant/sdk');
  let taskId: string | undefined;
  const steps = stepsOf(output, STEPS);
  const run = await processProtectedData(client, {
    app,
    protectedData,
    workerpool,
    args: options.args,
    inputFiles: options.inputFile,
    secrets,
    maxPrices,
    waitForResult: options.wait,
    timeoutMs: timeout * 1000,
    onStatusUpdate: (status) => {
      if (status.payload?.['taskId']) taskId = status.payload['taskId'];
      if (status.title === 'REQUEST_TO_PROCESS_PROTECTED_DATA' && status.isDone) output.debug(`task ${taskId}`);
      steps(status);
    },
  }).catch((error: unknown) => explainRunError(error, taskId));

  if (!run.result) {
    output.result(
      { taskId: run.taskId, dealId: run.dealId, transactionHash: run.transactionHash },
      (r) => `Task ${r.taskId} requested.\nFollow it: confidant task show ${r.taskId}\nThen: confidant task result ${r.taskId}`,
    );
    return;
  }
  const out = options.out ?? `./confidant-result-${run.taskId.slice(2, 10)}`;
  const files = writeResultFiles(out, run.result.files);
  output.result(
    {
      taskId: run.taskId,
      dealId: run.dealId,
      transactionHash: run.transactionHash,
      out,
      files: files.map(({ path, file, bytes }) => ({ path, file, bytes })),
      computed: run.result.computed ?? null,
    },
    () => `Task ${run.taskId} completed. Result in ${out}:\n${formatFiles(files)}`,
  );
};

/** `confidant run <app> [--data] [--args] [--input-file]... [--secret i=v]... [--max-price ...] [--out] [--no-wait]` */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run an iApp (on a protected data) in an enclave, then decrypt its result into --out')
    .argument('<app>', 'the app address')
    .option('--data <address>', 'the protected data to run it on')
    .option('--args <args>', "the app's arguments (public: stored on chain)")
    .option('--input-file <url>', 'a URL the enclave downloads for the app (repeatable)', collect, [])
    .option('--secret <index=value>', 'a requester secret, delivered to the enclave only (repeatable)', collect, [])
    .option('--max-price <prices>', 'the most you pay per run, nRLC: app=..,data=..,workerpool=.. (default 0)')
    .option('--workerpool <address>', "run on this workerpool (default: the network's)")
    .option('--out <dir>', 'where to write the result files (default ./confidant-result-<task>)')
    .option('--no-wait', 'return once the task is requested, with its id')
    .option('--timeout <seconds>', 'give up waiting after this long', '600')
    .addHelpText(
      'after',
      '\nExamples:\n  confidant run 0xApp --data 0xData --args "--count" --max-price app=5,data=7\n  confidant run 0xApp --secret 1=$API_TOKEN --no-wait',
    )
    .action(action(runApp));
}
