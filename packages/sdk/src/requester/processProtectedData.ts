import {
  buildRequestOrder,
  computeTaskId,
  type MatchOrdersReturnType,
  matchOrders,
  type SignedAppOrder,
  type SignedDatasetOrder,
  type SignedWorkerpoolOrder,
  signOrder,
  requestParams,
  TDX_TAG,
} from '@confidant/contracts';
import { BaseError } from '@confidant/errors';
import type { Address, Hash, Hex } from 'viem';
import { type ConfidantClient, signerOf } from '../client.js';
import { InvalidArgumentError } from '../errors.js';
import { findOrders } from '../internal/orderbook.js';
import { resultKeyOf, RESULT_ENCRYPTION_KEY_NAME } from '../internal/resultKey.js';
import { addressArgument, countArgument } from '../internal/validate.js';
import { getResultFromCompletedTask, type TaskResult } from './getResultFromCompletedTask.js';
import { waitForTaskCompletion } from './waitForTaskCompletion.js';

export type ProcessStep =
  | 'FETCH_ORDERS'
  | 'PUSH_REQUESTER_SECRET'
  | 'PUSH_ENCRYPTION_KEY'
  | 'REQUEST_TO_PROCESS_PROTECTED_DATA'
  | 'CONSUME_TASK'
  | 'CONSUME_RESULT_DOWNLOAD'
  | 'CONSUME_RESULT_DECRYPT';

/** No order in the orderbook lets this run happen; says which one is missing. */
export class NoMatchingOrderError extends BaseError {
  override name = 'NoMatchingOrderError';
  /** Which side is missing: a grant of the protected data (`dataset`), the app's order, or a workerpool's. */
  readonly order: 'app' | 'dataset' | 'workerpool';
  constructor(order: NoMatchingOrderError['order'], what: string, hint: string) {
    super(`no ${what} allows this run`, { hints: [hint], kind: 'not-found' });
    this.order = order;
  }
}

export type ProcessProtectedDataParameters = {
  app: Address;
  /** The protected data to run the app on; omit for an app that needs none. */
  protectedData?: Address | undefined;
  /** Run on this workerpool only; any TEE workerpool otherwise. */
  workerpool?: Address | undefined;
  /** The app's command-line arguments (public: they are on chain). */
  args?: string | undefined;
  /** URLs of input files the enclave downloads for the app. */
  inputFiles?: string[] | undefined;
  /** Requester secrets by index (1, 2…): private, delivered to the enclave only. */
  secrets?: Record<number, string> | undefined;
  /** Highest prices you accept per run, nRLC (default 0: free orders only). */
  maxPrices?: { app?: bigint | number; protectedData?: bigint | number; workerpool?: bigint | number } | undefined;
  /** `false`: return as soon as the task exists, with its id. Default `true`. */
  waitForResult?: boolean | undefined;
  onStatusUpdate?: ((status: { title: ProcessStep; isDone: boolean; payload?: Record<string, string> }) => void) | undefined;
  timeoutMs?: number | undefined;
};

export type ProcessProtectedDataReturnType = { taskId: Hex; dealId: Hex; transactionHash: Hash; result?: TaskResult };

/**
 * Runs an app on a protected data: finds matching app, dataset and workerpool orders, delivers your
 * secrets and your result-encryption key to the SMS, signs the request, matches it on chain, waits
 * for the task, then downloads and decrypts the result (only you hold its key).
 *
 * @example
 * const { result } = await processProtectedData(confidant, { app, protectedData, args: '--count' });
 */
export async function processProtectedData(
  client: ConfidantClient,
  parameters: ProcessProtectedDataParameters,
): Promise<ProcessProtectedDataReturnType> {
  const signer = signerOf(client, 'running an app');
  const run = validateRun(parameters);
  const status: Status = (title, isDone, payload) => parameters.onStatusUpdate?.({ title, isDone, ...(payload ? { payload } : {}) });

  const orders = await fetchOrders(client, signer.address, run, status);
  const secretNames = await pushRequesterSecrets(client, signer, parameters, status);
  await pushResultEncryptionKey(client, signer, status);
  const { matched, taskId } = await requestAndMatch(signer, run, orders, secretNames, parameters, status);
  if (parameters.waitForResult === false) return { taskId, dealId: matched.dealId, transactionHash: matched.hash };

  const result = await waitAndFetchResult(client, taskId, parameters, status);
  return { taskId, dealId: matched.dealId, transactionHash: matched.hash, result };
}

type Signer = ReturnType<typeof signerOf>;

type Status = (title: ProcessStep, isDone: boolean, payload?: Record<string, string>) => void;

/** The run's validated arguments. */
type Run = {
  app: Address;
  dataset: Address | undefined;
  workerpool: Address | undefined;
  maxPrice: { app: bigint; protectedData: bigint; workerpool: bigint };
  inputFiles: string[];
};

type Orders = {
  appOrder: SignedAppOrder;
  datasetOrder: SignedDatasetOrder | undefined;
  workerpoolOrder: SignedWorkerpoolOrder;
};

/** Checks the addresses, prices and input files, in that order. */
function validateRun(parameters: ProcessProtectedDataParameters): Run {
  const app = addressArgument('app', parameters.app);
  const dataset = parameters.protectedData === undefined ? undefined : addressArgument('protectedData', parameters.protectedData);
  const workerpool = parameters.workerpool === undefined ? undefined : addressArgument('workerpool', parameters.workerpool);
  const maxPrice = {
    app: countArgument('maxPrices.app', parameters.maxPrices?.app ?? 0n),
    protectedData: countArgument('maxPrices.protectedData', parameters.maxPrices?.protectedData ?? 0n),
    workerpool: countArgument('maxPrices.workerpool', parameters.maxPrices?.workerpool ?? 0n),
  };
  const inputFiles = parameters.inputFiles ?? [];
  for (const url of inputFiles) {
    if (!/^https?:\/\//.test(url))
      throw new InvalidArgumentError(
        'inputFiles',
        `has "${url.slice(0, 80)}", which is not an http(s) URL`,
        'Give URLs the enclave can download.',
      );
  }
  return { app, dataset, workerpool, maxPrice, inputFiles };
}

/** FETCH_ORDERS: the cheapest usable dataset (when there is a protected data), app and TEE workerpool orders. */
async function fetchOrders(client: ConfidantClient, requester: Address, run: Run, status: Status): Promise<Orders> {
  const { app, dataset, workerpool, maxPrice } = run;
  status('FETCH_ORDERS', false);
  const datasetOrder = dataset
    ? await findOrders.dataset(client, dataset, { app, requester, workerpool, maxPrice: maxPrice.protectedData })
    : undefined;
  if (dataset && !datasetOrder) {
    throw new NoMatchingOrderError(
      'dataset',
      `grant of protected data ${dataset} to app ${app} for you (${requester})`,
      'Ask the owner of the protected data to grant this app access for you, or raise maxPrices.protectedData.',
    );
  }
  const appOrder = await findOrders.app(client, app, { dataset, requester, workerpool, maxPrice: maxPrice.app });
  if (!appOrder)
    throw new NoMatchingOrderError(
      'app',
      `app order of ${app}`,
      'The publisher must publish an app order open to you; or raise maxPrices.app.',
    );
  const workerpoolOrder = await findOrders.workerpool(client, workerpool, {
    app,
    dataset,
    requester,
    tag: TDX_TAG,
    maxPrice: maxPrice.workerpool,
  });
  if (!workerpoolOrder)
    throw new NoMatchingOrderError(
      'workerpool',
      `TEE workerpool order${workerpool ? ` of ${workerpool}` : ''}`,
      'Wait for a workerpool to publish an order, or raise maxPrices.workerpool.',
    );
  status('FETCH_ORDERS', true, { app: appOrder.app, workerpool: workerpoolOrder.workerpool });
  return { appOrder, datasetOrder, workerpoolOrder };
}

/** PUSH_REQUESTER_SECRET (when there are secrets): returns the SMS name of each secret by index. */
async function pushRequesterSecrets(
  client: ConfidantClient,
  { address: requester, sign }: Signer,
  parameters: ProcessProtectedDataParameters,
  status: Status,
): Promise<Record<string, string>> {
  const secretNames: Record<string, string> = {};
  const secrets = Object.entries(parameters.secrets ?? {});
  if (secrets.length > 0) {
    status('PUSH_REQUESTER_SECRET', false);
    const run = Math.random().toString(36).slice(2, 10);
    for (const [index, value] of secrets) {
      if (!/^[1-9]\d*$/.test(index)) throw new InvalidArgumentError('secrets', `has index "${index}"`, 'Number secrets 1, 2, 3…');
      // Secrets are immutable in the SMS: a fresh name per run.
      const name = `run-${run}-${index}`;
      await client.sms.pushRequesterSecret(sign, requester, name, value);
      secretNames[index] = name;
    }
    status('PUSH_REQUESTER_SECRET', true, { count: String(secrets.length) });
  }
  return secretNames;
}

/** PUSH_ENCRYPTION_KEY: the public half of your result-encryption key, for the enclave. */
async function pushResultEncryptionKey(client: ConfidantClient, { address: requester, sign }: Signer, status: Status): Promise<void> {
  status('PUSH_ENCRYPTION_KEY', false);
  const resultKey = await resultKeyOf(client);
  await client.sms.setWeb2Secret(sign, requester, RESULT_ENCRYPTION_KEY_NAME, resultKey.publicKeyBase64);
  status('PUSH_ENCRYPTION_KEY', true);
}

/** REQUEST_TO_PROCESS_PROTECTED_DATA: signs the request order and matches it with the others on chain. */
async function requestAndMatch(
  { wallet, address: requester }: Signer,
  { app, dataset, inputFiles }: Run,
  { appOrder, datasetOrder, workerpoolOrder }: Orders,
  secretNames: Record<string, string>,
  parameters: ProcessProtectedDataParameters,
  status: Status,
): Promise<{ matched: MatchOrdersReturnType; taskId: Hex }> {
  status('REQUEST_TO_PROCESS_PROTECTED_DATA', false);
  const params = requestParams({ args: parameters.args, inputFiles, secrets: secretNames, resultEncryption: true });
  const requestOrder = await signOrder(wallet, {
    kind: 'request',
    order: buildRequestOrder({
      app,
      appmaxprice: appOrder.appprice,
      ...(dataset && datasetOrder ? { dataset, datasetmaxprice: datasetOrder.datasetprice } : {}),
      workerpool: workerpoolOrder.workerpool,
      workerpoolmaxprice: workerpoolOrder.workerpoolprice,
      requester,
      volume: 1n,
      tag: TDX_TAG,
      category: workerpoolOrder.category,
      trust: 0n,
      params,
    }),
  });
  const matched = await matchOrders(wallet, { appOrder, datasetOrder, workerpoolOrder, requestOrder });
  const taskId = computeTaskId(matched.dealId, 0n);
  status('REQUEST_TO_PROCESS_PROTECTED_DATA', true, { dealId: matched.dealId, taskId });
  return { matched, taskId };
}

/** CONSUME_TASK, then the result's download and decryption. */
async function waitAndFetchResult(
  client: ConfidantClient,
  taskId: Hex,
  parameters: ProcessProtectedDataParameters,
  status: Status,
): Promise<TaskResult> {
  status('CONSUME_TASK', false);
  await waitForTaskCompletion(client, { taskId, timeoutMs: parameters.timeoutMs });
  status('CONSUME_TASK', true, { taskId });
  return getResultFromCompletedTask(client, { taskId, onStatusUpdate: (update) => status(update.title, update.isDone) });
}
