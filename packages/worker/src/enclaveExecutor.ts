import { getApp, getDataset, type PocoClient } from '@confidant/contracts';
import { type EnclavePlatform, runTask, type TaskLogEntry } from '@confidant/enclave';
import type { AppBundleResolver } from './appBundle.js';
import type { TaskExecution, TaskExecutor } from './executor.js';
import type { SmsClient } from './smsClient.js';
import { describe } from './taskSteps.js';

export type CreateEnclaveExecutorParameters = {
  /** Reads the app's checksum and the dataset's location and checksum. */
  client: PocoClient;
  /** Signs the enclave's quotes: `createSimulatedPlatform(rootKey)` locally, a TDX platform in production. */
  platform: EnclavePlatform;
  sms: SmsClient;
  resolveBundle: AppBundleResolver;
  /** Where results are uploaded (kubo RPC) and inputs read (gateway). */
  storage: { apiUrl: string; gatewayUrl: string };
  /** A folder for the tasks' private folders (the runner removes each at the end). */
  workDir: string;
  /** Bytes of a task's log kept (the latest), default 1 MiB. */
  maxLogBytes?: number | undefined;
  fetch?: typeof fetch | undefined;
};

/**
 * The executor that runs tasks in the enclave runtime (`@confidant/enclave`'s runTask): finds the
 * app's bundle, asks the SMS for a challenge, and for the secrets with the enclave's quote and the
 * workerpool's authorization, then maps the outcome for the worker. The app's on-chain checksum is
 * the measurement the enclave must find.
 *
 * @example
 * const executor = createEnclaveExecutor({ client, platform, sms, resolveBundle, storage, workDir });
 */
export function createEnclaveExecutor(parameters: CreateEnclaveExecutorParameters): TaskExecutor {
  const maxLogBytes = parameters.maxLogBytes ?? 1024 * 1024;
  return {
    async execute(task): Promise<TaskExecution> {
      const log = createLogCollector(maxLogBytes);
      try {
        const [bundle, app, dataset] = await Promise.all([
          parameters.resolveBundle(task.app),
          getApp(parameters.client, { app: task.app }),
          task.dataset ? getDataset(parameters.client, { dataset: task.dataset }) : undefined,
        ]);
        const params = parseParams(task.params);
        const outcome = await runTask({
          task: {
            taskId: task.taskId,
            dealId: task.dealId,
            app: { bundleDir: bundle.dir, declaration: bundle.declaration, expectedMeasurement: app.checksum },
            args: params.args,
            inputFiles: params.inputFiles,
            dataset: dataset ? { address: dataset.address, location: dataset.multiaddr, checksum: dataset.checksum } : undefined,
            maxTimeSeconds: task.maxTimeSeconds,
          },
          worker: task.worker,
          platform: parameters.platform,
          requestChallenge: (taskId) => parameters.sms.requestChallenge(taskId),
          requestSecrets: async (quote, enclave) =>
            parameters.sms.requestSession({
              taskId: task.taskId,
              workerAddress: task.worker,
              enclaveChallenge: enclave.enclaveChallenge,
              authorization: await task.authorize(enclave.enclaveChallenge),
              quote,
            }),
          storage: parameters.storage,
          workDir: parameters.workDir,
          maxLogBytes,
          logger: log.add,
          fetch: parameters.fetch,
        });
        if (outcome.status === 'failed') return { ok: false, exitCause: `${outcome.phase}: ${outcome.cause}`, logs: log.text() };
        const { contribution } = outcome;
        return {
          ok: true,
          resultDigest: contribution.resultDigest,
          results: contribution.results,
          resultsCallback: contribution.resultsCallback,
          enclaveChallenge: contribution.enclaveChallenge,
          enclaveSign: contribution.enclaveSign,
          logs: log.text(),
        };
      } catch (error) {
        // Before the enclave started: the bundle or the chain could not be read.
        return { ok: false, exitCause: `pre-compute: ${describe(error)}`, logs: log.text() };
      }
    },
  };
}

/** The request params the runner uses; anything unreadable is ignored as iExec's worker does. */
function parseParams(params: string): { args: string | undefined; inputFiles: string[] | undefined } {
  if (!params.trim()) return { args: undefined, inputFiles: undefined };
  try {
    const json = JSON.parse(params) as { iexec_args?: unknown; iexec_input_files?: unknown };
    return {
      args: typeof json.iexec_args === 'string' ? json.iexec_args : undefined,
      inputFiles: Array.isArray(json.iexec_input_files)
        ? json.iexec_input_files.filter((file): file is string => typeof file === 'string')
        : undefined,
    };
  } catch {
    // iExec's legacy params were the args themselves.
    return { args: params, inputFiles: undefined };
  }
}

/** Collects the runner's log lines (its steps and the app's output), keeping the latest `maxBytes`. */
function createLogCollector(maxBytes: number) {
  const lines: string[] = [];
  let bytes = 0;
  return {
    add(entry: TaskLogEntry) {
      const line = `${new Date().toISOString()} [${entry.phase}${entry.stream ? ` ${entry.stream}` : ''}] ${entry.message}\n`;
      lines.push(line);
      bytes += Buffer.byteLength(line);
      while (bytes > maxBytes && lines.length > 1) bytes -= Buffer.byteLength(lines.shift() as string);
    },
    text: () => lines.join(''),
  };
}
