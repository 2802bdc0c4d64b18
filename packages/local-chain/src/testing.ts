import {
  buildAppOrder,
  buildDatasetOrder,
  buildRequestOrder,
  buildWorkerpoolOrder,
  contributeAndFinalize,
  createApp,
  createDataset,
  initializeTask,
  matchOrders,
  signEnclaveResult,
  signOrder,
  signWorkerAuthorization,
  type SignedAppOrder,
  type SignedDatasetOrder,
  type SignedRequestOrder,
  type SignedWorkerpoolOrder,
  TDX_TAG,
} from '@confidant/contracts';
import { type Address, type Hex, keccak256, type LocalAccount, stringToHex, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { LocalChain } from './startLocalChain.js';

export type ScenarioPrices = { app: bigint; dataset: bigint; workerpool: bigint };

export type TeeScenario = {
  app: Address;
  dataset: Address;
  workerpool: Address;
  prices: ScenarioPrices;
  appOrder: SignedAppOrder;
  datasetOrder: SignedDatasetOrder;
  workerpoolOrder: SignedWorkerpoolOrder;
  requestOrder: SignedRequestOrder;
};

let unique = 0;

/**
 * Registers a TEE app (publisher) and a dataset (data owner) on the chain and signs the four
 * orders of one TEE task on them, each by its rightful signer. Overrides let a test break one rule.
 *
 * @example
 * const scenario = await prepareTeeScenario(chain);
 * const { dealId } = await matchOrders(chain.client('requester'), scenario);
 */
export async function prepareTeeScenario(
  chain: LocalChain,
  options: { prices?: Partial<ScenarioPrices>; volume?: bigint } = {},
): Promise<TeeScenario> {
  const prices: ScenarioPrices = { app: 3_000_000n, dataset: 2_000_000n, workerpool: 1_000_000_000n, ...options.prices };
  const volume = options.volume ?? 1n;
  // Names (and so CREATE2 addresses) depend only on the call order: error messages stay stable.
  const id = String(unique++);
  const publisher = chain.client('publisher');
  const dataOwner = chain.client('dataOwner');
  const [{ address: app }, { address: dataset }] = await Promise.all([
    createApp(publisher, {
      name: `app-${id}`,
      multiaddr: `bundle://app-${id}`,
      checksum: keccak256(stringToHex(`bundle-${id}`)),
    }),
    createDataset(dataOwner, {
      name: `dataset-${id}`,
      multiaddr: `https://storage.invalid/${id}`,
      checksum: keccak256(stringToHex(`dataset-${id}`)),
    }),
  ]);
  const requester = chain.accounts.requester.address;
  const workerpool = chain.workerpool.address;
  const [appOrder, datasetOrder, workerpoolOrder, requestOrder] = await Promise.all([
    signOrder(publisher, { kind: 'app', order: buildAppOrder({ app, appprice: prices.app, volume, tag: TDX_TAG }) }),
    signOrder(dataOwner, {
      kind: 'dataset',
      order: buildDatasetOrder({
        dataset,
        datasetprice: prices.dataset,
        volume,
        tag: TDX_TAG,
        apprestrict: app,
        requesterrestrict: requester,
      }),
    }),
    signOrder(chain.client('scheduler'), {
      kind: 'workerpool',
      order: buildWorkerpoolOrder({ workerpool, workerpoolprice: prices.workerpool, volume, tag: TDX_TAG, category: 0n }),
    }),
    signOrder(chain.client('requester'), {
      kind: 'request',
      order: buildRequestOrder({
        app,
        appmaxprice: prices.app,
        dataset,
        datasetmaxprice: prices.dataset,
        workerpool,
        workerpoolmaxprice: prices.workerpool,
        requester,
        volume,
        tag: TDX_TAG,
        category: 0n,
        params: JSON.stringify({ iexec_args: 'hello' }),
      }),
    }),
  ]);
  return { app, dataset, workerpool, prices, appOrder, datasetOrder, workerpoolOrder, requestOrder };
}

export type TeeTaskResult = { dealId: Hex; taskId: Hex; enclave: LocalAccount; resultDigest: Hex; results: Hex };

/**
 * Runs one TEE task through its whole on-chain life: match, initialize, then contributeAndFinalize
 * with a fresh enclave key's signature and the scheduler's authorization, sent by the worker.
 *
 * @example
 * const { taskId } = await runTeeTask(chain, await prepareTeeScenario(chain));
 */
export async function runTeeTask(chain: LocalChain, scenario: TeeScenario): Promise<TeeTaskResult> {
  const { dealId } = await matchOrders(chain.client('requester'), scenario);
  const worker = chain.client('worker');
  const { taskId } = await initializeTask(worker, { dealId, index: 0n });
  const enclave = privateKeyToAccount(generatePrivateKey());
  const resultDigest = keccak256(toHex(`result of ${taskId}`));
  const results = stringToHex(JSON.stringify({ storage: 'ipfs', location: '/ipfs/QmResult' }));
  const workerAddress = chain.accounts.worker.address;
  const [authorizationSign, enclaveSign] = await Promise.all([
    signWorkerAuthorization(chain.accounts.scheduler.account, { worker: workerAddress, taskId, enclaveChallenge: enclave.address }),
    signEnclaveResult(enclave, { worker: workerAddress, taskId, resultDigest }),
  ]);
  await contributeAndFinalize(worker, { taskId, resultDigest, results, enclaveChallenge: enclave.address, enclaveSign, authorizationSign });
  return { dealId, taskId, enclave, resultDigest, results };
}
