import { getApp, getDataset, type PocoClient } from '@confidant/contracts';
import { type EnclavePlatform, runTask, type TaskLogEntry } from '@confidant/enclave';
import { BaseError } from '@confidant/errors';
import type { AppImageResolver } from './appImage.js';
import type { TaskExecution, TaskExecutor } from './executor.js';
import type { SmsClient } from './smsClient.js';
import { describe } from './taskSteps.js';

export type CreateEnclaveExecutorParameters = {
  /** Reads the app's checksum and the dataset's location and checksum. */
  client: PocoClient;
  /** Signs the enclave's quotes: `createSimulatedPlatform(rootKey)` locally, a TDX platform in production. */
  platform: EnclavePlatform;
  sms: SmsClient;
  /** Pulls the app's image into the worker's image store (see createAppImageResolver). */
  resolveImage: AppImageResolver;
  /** Where results are uploaded (kubo RPC) and inputs read (gateway). */
  storage: { apiUrl: string; gatewayUrl: string };
  /** A folder for the tasks' private folders (the runner removes each at the end). */
  workDir: string;
  /** Bytes of a task's log kept (the latest), default 1 MiB. */
  maxLogBytes?: number | undefined;
  fetch?: typeof fetch | undefined;
};

/**
 * The executor that runs tasks in the enclave runtime (`@confidant/enclave`'s runTask): pulls the
 * app's image by digest into the worker's store, asks the SMS for a challenge, and for the secrets
 * with the enclave's quote and the workerpool's authorization, then maps the outcome for the worker.
 * The enclave verifies and unpacks the image itself; the app's on-chain checksum (the manifest
 * digest) is the measurement it must find. An image that cannot be pulled intact fails the task in
 * pre-compute, before any secret is asked for.
 *
 * @example
 * const executor = createEnclaveExecutor({ client, platform, sms, resolveImage, storage, workDir });
 */
export function createEnclaveExecutor(parameters: CreateEnclaveExecutorParameters): TaskExecutor {
  const maxLogBytes = parameters.maxLogBytes ?? 1024 * 1024;
  return {
    async execute(task): Promise<TaskExecution> {
      const log = createLogCollector(maxLogBytes);
      try {
        const [image, app, dataset] = await Promise.all([
          parameters.resolveImage(task.app),
          getApp(parameters.client, { app: task.app }),
          task.dataset ? getDataset(parameters.client, { dataset: task.dataset }) : undefined,
        ]);
        const params = parseParams(task.params);
        const outcome = await runTask({
          task: {
            taskId: task.taskId,
            dealId: task.dealId,
            app: { image: { storeDir: image.storeDir, digest: image.digest }, expectedMeasurement: app.checksum },
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
        // Before the enclave started: the image could not be pulled, or the chain read. The
        // requester reads the reason and what to do in the task's logs.
        log.add({ phase: 'pre-compute', level: 'error', message: describe(error) });
        for (const hint of error instanceof BaseError ? error.hints : [])
          log.add({ phase: 'pre-compute', level: 'error', message: `→ ${hint}` });
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
