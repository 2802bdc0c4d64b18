import {
  AssetNotFoundError,
  buildAppOrder,
  buildDatasetOrder,
  buildRequestOrder,
  buildWorkerpoolOrder,
  cancelOrder,
  contributeAndFinalize,
  initializeTask,
  InsufficientFundsError,
  InvalidAuthorizationError,
  InvalidEnclaveSignatureError,
  InvalidOrderSignatureError,
  matchOrders,
  MissingAccountError,
  NO_TAG,
  NotAssetOwnerError,
  OrderConsumedError,
  OrdersIncompatibleError,
  signEnclaveResult,
  signOrder,
  signWorkerAuthorization,
  TDX_TAG,
  TaskStateError,
  transferDataset,
} from '@confidant/contracts';
import { type Hex, keccak256, type LocalAccount, stringToHex, zeroAddress } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChainAccount, type LocalChain, startLocalChain } from './index.js';
import { prepareTeeScenario, runTeeTask, type TeeScenario } from './testing.js';

let chain: LocalChain;
beforeAll(async () => {
  chain = await startLocalChain();
});
afterAll(() => chain?.stop());

/** The first line of an error's message: what a user reads first. */
async function refusal(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected a refusal, the call succeeded');
  return error;
}

/** A request order for the scenario's app and dataset, signed by `requester` (default: the requester role). */
const requestFor = (
  chain: LocalChain,
  scenario: TeeScenario,
  fields: Partial<Parameters<typeof buildRequestOrder>[0]> = {},
  requester: ChainAccount = chain.accounts.requester,
) =>
  signOrder(chain.client(requester), {
    kind: 'request',
    order: buildRequestOrder({
      app: scenario.app,
      appmaxprice: scenario.prices.app,
      dataset: scenario.dataset,
      datasetmaxprice: scenario.prices.dataset,
      workerpool: scenario.workerpool,
      workerpoolmaxprice: scenario.prices.workerpool,
      requester: requester.address,
      tag: TDX_TAG,
      ...fields,
    }),
  });

describe('matchOrders refusals say what was wrong', () => {
  it('a tampered dataset order signature', async () => {
    const scenario = await prepareTeeScenario(chain);
    const tampered = { ...scenario.datasetOrder, datasetprice: 0n };
    const error = await refusal(matchOrders(chain.client('requester'), { ...scenario, datasetOrder: tampered }));
    expect(error).toBeInstanceOf(InvalidOrderSignatureError);
    expect((error as InvalidOrderSignatureError).shortMessage).toBe(
      `the dataset order is not signed by ${chain.accounts.dataOwner.address}`,
    );
    expect(error.message).toMatch(/the signature recovers to 0x[0-9a-fA-F]{40}/);
  });

  it('a dataset order restricted to another app', async () => {
    const scenario = await prepareTeeScenario(chain);
    const other = await prepareTeeScenario(chain);
    const grant = await signOrder(chain.client('dataOwner'), {
      kind: 'dataset',
      order: buildDatasetOrder({ dataset: scenario.dataset, datasetprice: scenario.prices.dataset, tag: TDX_TAG, apprestrict: other.app }),
    });
    const error = await refusal(matchOrders(chain.client('requester'), { ...scenario, datasetOrder: grant }));
    expect(error).toBeInstanceOf(OrdersIncompatibleError);
    expect((error as OrdersIncompatibleError).shortMessage).toBe(`the dataset order only allows app ${other.app}, not ${scenario.app}`);
    expect((error as OrdersIncompatibleError).code).toBe('iExecV5-matchOrders-0x16');
    expect(error.message).toContain('ask the data owner to grant this app');
  });

  it('a dataset order restricted to another requester', async () => {
    const scenario = await prepareTeeScenario(chain);
    const someoneElse = chain.account(7).address;
    const grant = await signOrder(chain.client('dataOwner'), {
      kind: 'dataset',
      order: buildDatasetOrder({
        dataset: scenario.dataset,
        datasetprice: scenario.prices.dataset,
        tag: TDX_TAG,
        apprestrict: scenario.app,
        requesterrestrict: someoneElse,
      }),
    });
    const error = await refusal(matchOrders(chain.client('requester'), { ...scenario, datasetOrder: grant }));
    expect(error).toBeInstanceOf(OrdersIncompatibleError);
    expect((error as OrdersIncompatibleError).shortMessage).toBe(
      `the dataset order only allows requester ${someoneElse}, not ${chain.accounts.requester.address}`,
    );
  });

  it('a cancelled (revoked) dataset order', async () => {
    const scenario = await prepareTeeScenario(chain);
    await cancelOrder(chain.client('dataOwner'), { kind: 'dataset', order: scenario.datasetOrder });
    const error = await refusal(matchOrders(chain.client('requester'), scenario));
    expect(error).toBeInstanceOf(OrderConsumedError);
    expect((error as OrderConsumedError).orderKind).toBe('dataset');
    expect((error as OrderConsumedError).cancelled).toBe(true);
    expect((error as OrderConsumedError).shortMessage).toMatch(/^the dataset order 0x[0-9a-f]{64} was cancelled by its owner$/);
  });

  it('a dataset order whose volume is used up', async () => {
    const scenario = await prepareTeeScenario(chain);
    await runTeeTask(chain, scenario);
    // Fresh app, workerpool and request orders: only the one-use grant is spent.
    const [appOrder, workerpoolOrder, requestOrder] = await Promise.all([
      signOrder(chain.client('publisher'), {
        kind: 'app',
        order: buildAppOrder({ app: scenario.app, appprice: scenario.prices.app, tag: TDX_TAG }),
      }),
      signOrder(chain.client('scheduler'), {
        kind: 'workerpool',
        order: buildWorkerpoolOrder({ workerpool: scenario.workerpool, workerpoolprice: scenario.prices.workerpool, tag: TDX_TAG }),
      }),
      requestFor(chain, scenario),
    ]);
    const error = await refusal(
      matchOrders(chain.client('requester'), { appOrder, datasetOrder: scenario.datasetOrder, workerpoolOrder, requestOrder }),
    );
    expect(error).toBeInstanceOf(OrderConsumedError);
    expect((error as OrderConsumedError).cancelled).toBe(false);
    expect((error as OrderConsumedError).shortMessage).toMatch(
      /^the dataset order 0x[0-9a-f]{64} has no volume left: every use is consumed$/,
    );
  });

  it('a non-TEE app order against a TEE dataset order', async () => {
    const scenario = await prepareTeeScenario(chain);
    const appOrder = await signOrder(chain.client('publisher'), {
      kind: 'app',
      order: buildAppOrder({ app: scenario.app, appprice: scenario.prices.app, tag: NO_TAG }),
    });
    const error = await refusal(matchOrders(chain.client('requester'), { ...scenario, appOrder }));
    expect(error).toBeInstanceOf(OrdersIncompatibleError);
    expect((error as OrdersIncompatibleError).shortMessage).toBe(
      'the dataset or request order requires a TEE but the app order is not a TEE order (tag [none])',
    );
  });

  it('an app price above what the request pays', async () => {
    const scenario = await prepareTeeScenario(chain);
    const requestOrder = await requestFor(chain, scenario, { appmaxprice: scenario.prices.app - 1n });
    const error = await refusal(matchOrders(chain.client('requester'), { ...scenario, requestOrder }));
    expect((error as OrdersIncompatibleError).shortMessage).toBe(
      `the app costs ${scenario.prices.app} nRLC but the request order pays at most ${scenario.prices.app - 1n}`,
    );
  });

  it('a requester without enough RLC in escrow', async () => {
    const scenario = await prepareTeeScenario(chain);
    const poor = chain.account(8);
    const grant = await signOrder(chain.client('dataOwner'), {
      kind: 'dataset',
      order: buildDatasetOrder({
        dataset: scenario.dataset,
        datasetprice: scenario.prices.dataset,
        tag: TDX_TAG,
        apprestrict: scenario.app,
      }),
    });
    const requestOrder = await requestFor(chain, scenario, {}, poor);
    const error = await refusal(matchOrders(chain.client(poor), { ...scenario, datasetOrder: grant, requestOrder }));
    expect(error).toBeInstanceOf(InsufficientFundsError);
    const total = scenario.prices.app + scenario.prices.dataset + scenario.prices.workerpool;
    expect((error as InsufficientFundsError).shortMessage).toBe(`${poor.address} has 0 nRLC free in escrow, needs ${total}`);
  });

  it('an unregistered app', async () => {
    const scenario = await prepareTeeScenario(chain);
    const ghost = privateKeyToAccount(generatePrivateKey()).address;
    const appOrder = { ...scenario.appOrder, app: ghost };
    const requestOrder = await requestFor(chain, scenario, { app: ghost });
    const error = await refusal(matchOrders(chain.client('requester'), { ...scenario, appOrder, requestOrder }));
    // The dataset order's app restriction is checked before the app's registration.
    expect(error).toBeInstanceOf(OrdersIncompatibleError);
    const open = await signOrder(chain.client('dataOwner'), {
      kind: 'dataset',
      order: buildDatasetOrder({ dataset: scenario.dataset, datasetprice: scenario.prices.dataset, tag: TDX_TAG }),
    });
    const unregistered = await refusal(matchOrders(chain.client('requester'), { ...scenario, appOrder, requestOrder, datasetOrder: open }));
    expect(unregistered).toBeInstanceOf(AssetNotFoundError);
    expect((unregistered as AssetNotFoundError).shortMessage).toBe(`app ${ghost} is not a registered app`);
  });
});

describe('contributeAndFinalize refusals', () => {
  /**
   * Contributes to `taskId` as the worker, for an enclave, with the authorization signed by
   * `authorizer` and the result signed by `resultSigner` (by default the rightful ones).
   */
  async function contribute(
    taskId: Hex,
    enclave: LocalAccount,
    { authorizer = chain.accounts.scheduler.account, resultSigner = enclave, resultDigest = keccak256(stringToHex('result')) } = {},
  ) {
    const worker = chain.accounts.worker.address;
    const authorizationSign = await signWorkerAuthorization(authorizer, { worker, taskId, enclaveChallenge: enclave.address });
    const enclaveSign = await signEnclaveResult(resultSigner, { worker, taskId, resultDigest });
    return refusal(
      contributeAndFinalize(chain.client('worker'), {
        taskId,
        resultDigest,
        results: '0x',
        enclaveChallenge: enclave.address,
        enclaveSign,
        authorizationSign,
      }),
    );
  }

  async function activeTask() {
    const scenario = await prepareTeeScenario(chain);
    const { dealId } = await matchOrders(chain.client('requester'), scenario);
    const { taskId } = await initializeTask(chain.client('worker'), { dealId, index: 0n });
    return taskId;
  }

  it('refuses a result signed by another key than the enclave challenge', async () => {
    const enclave = privateKeyToAccount(generatePrivateKey());
    const impostor = privateKeyToAccount(generatePrivateKey());
    const error = await contribute(await activeTask(), enclave, { resultSigner: impostor });
    expect(error).toBeInstanceOf(InvalidEnclaveSignatureError);
    expect((error as InvalidEnclaveSignatureError).shortMessage).toBe(
      `the result is signed by ${impostor.address}, not by the enclave ${enclave.address}`,
    );
  });

  it('refuses a worker the workerpool owner did not authorize', async () => {
    // The worker authorizes itself instead of the scheduler doing it.
    const error = await contribute(await activeTask(), privateKeyToAccount(generatePrivateKey()), {
      authorizer: chain.accounts.worker.account,
    });
    expect(error).toBeInstanceOf(InvalidAuthorizationError);
    expect((error as InvalidAuthorizationError).shortMessage).toBe(
      `the worker authorization is signed by ${chain.accounts.worker.address}, not by the workerpool owner ${chain.accounts.scheduler.address}`,
    );
  });

  it('refuses a second result for a completed task', async () => {
    const { taskId, enclave, resultDigest } = await runTeeTask(chain, await prepareTeeScenario(chain));
    const error = await contribute(taskId, enclave, { resultDigest });
    expect(error).toBeInstanceOf(TaskStateError);
    expect((error as TaskStateError).shortMessage).toBe(`task ${taskId}: the task is COMPLETED, not ACTIVE`);
  });
});

describe('ownership refusals', () => {
  it('only the owner can cancel an order or transfer a dataset', async () => {
    const scenario = await prepareTeeScenario(chain);
    const intruder = chain.client('requester');
    const cancel = await refusal(cancelOrder(intruder, { kind: 'dataset', order: scenario.datasetOrder }));
    expect(cancel).toBeInstanceOf(NotAssetOwnerError);
    expect((cancel as NotAssetOwnerError).shortMessage).toBe(
      `you (${chain.accounts.requester.address}) are not the owner of dataset ${scenario.dataset}; its owner is ${chain.accounts.dataOwner.address}`,
    );
    const transfer = await refusal(transferDataset(intruder, { dataset: scenario.dataset, to: zeroAddress }));
    expect(transfer).toBeInstanceOf(NotAssetOwnerError);
  });

  it('a write without an account says so', async () => {
    const scenario = await prepareTeeScenario(chain);
    const error = await refusal(cancelOrder(chain.client(), { kind: 'dataset', order: scenario.datasetOrder }));
    expect(error).toBeInstanceOf(MissingAccountError);
    expect((error as MissingAccountError).shortMessage).toBe(
      'cancelling a dataset order needs an account to sign with, and the client has none',
    );
  });
});
