import { type Address, type Hash, type Hex, isAddressEqual, keccak256, zeroAddress } from 'viem';
import { type PocoClient, requireWallet } from '../client.js';
import { InvalidAuthorizationError, InvalidEnclaveSignatureError, TaskStateError } from '../errors.js';
import { iexecPocoAbi } from '../generated/abis.js';
import { writeAndWait } from '../internal/write.js';
import { isTeeTag } from '../tags.js';
import { recoverEnclaveResultSigner, recoverWorkerAuthorizationSigner } from '../tee.js';
import { getDeal } from './getDeal.js';
import { getTask } from './getTask.js';

export type ContributeAndFinalizeParameters = {
  taskId: Hex;
  resultDigest: Hex;
  /** Where the result is, e.g. the bytes of `{"storage":"ipfs","location":"/ipfs/<cid>"}`. */
  results: Hex;
  /** Callback data for a deal with a callback; `0x` otherwise. */
  resultsCallback?: Hex | undefined;
  /** The enclave's address; the zero address for a non-TEE task. */
  enclaveChallenge: Address;
  /** signEnclaveResult by the enclave key. */
  enclaveSign: Hex;
  /** signWorkerAuthorization by the workerpool owner. */
  authorizationSign: Hex;
};

export type ContributeAndFinalizeReturnType = { hash: Hash };

/**
 * Reports a TEE task's result and finalizes it in one call: PoCo checks the scheduler's
 * authorization and the enclave's signature, then pays the app, dataset and workerpool owners.
 *
 * @example
 * await contributeAndFinalize(worker, { taskId, resultDigest, results, enclaveChallenge, enclaveSign, authorizationSign });
 */
export async function contributeAndFinalize(
  client: PocoClient,
  parameters: ContributeAndFinalizeParameters,
): Promise<ContributeAndFinalizeReturnType> {
  const wallet = requireWallet(client, 'contributing a result');
  const worker = wallet.walletClient.account.address;
  const resultsCallback = parameters.resultsCallback ?? '0x';
  const { hash } = await writeAndWait(
    wallet,
    'contributing a result',
    {
      address: client.addresses.poco,
      abi: iexecPocoAbi,
      functionName: 'contributeAndFinalize',
      args: [
        parameters.taskId,
        parameters.resultDigest,
        parameters.results,
        resultsCallback,
        parameters.enclaveChallenge,
        parameters.enclaveSign,
        parameters.authorizationSign,
      ],
    },
    // PoCo refuses a contribution without a reason string: find the broken rule by reading the chain.
    () => explainContribution(client, worker, { ...parameters, resultsCallback }),
  );
  return { hash };
}

async function explainContribution(
  client: PocoClient,
  worker: Address,
  p: ContributeAndFinalizeParameters & { resultsCallback: Hex },
): Promise<Error | undefined> {
  const task = await getTask(client, { taskId: p.taskId });
  if (task.status !== 'ACTIVE') {
    return new TaskStateError(
      p.taskId,
      `the task is ${task.status}, not ACTIVE`,
      task.status === 'COMPLETED' ? 'Its result is already on chain; read it with getTask.' : 'Only an ACTIVE task accepts a contribution.',
    );
  }
  const block = await client.publicClient.getBlock();
  if (task.contributionDeadline <= block.timestamp) {
    return new TaskStateError(
      p.taskId,
      'the contribution deadline has passed',
      'The requester can claim a refund after the final deadline.',
    );
  }
  if (task.contributors.length > 0) {
    return new TaskStateError(p.taskId, 'a worker already contributed', 'contributeAndFinalize is for the first and only contribution.');
  }
  const deal = await getDeal(client, { dealId: task.dealId });
  if (deal.trust !== 1n) {
    return new TaskStateError(
      p.taskId,
      `the deal asks for trust ${deal.trust}`,
      'contributeAndFinalize only serves trust 1 deals; use contribute/reveal/finalize.',
    );
  }
  const callbackOk = (deal.callback === zeroAddress && p.resultsCallback === '0x') || keccak256(p.resultsCallback) === p.resultDigest;
  if (!callbackOk) {
    return new TaskStateError(
      p.taskId,
      'the result digest does not match the callback data',
      'For a callback deal the digest is keccak256(callback-data).',
    );
  }
  if (p.enclaveChallenge === zeroAddress && isTeeTag(deal.tag)) {
    return new TaskStateError(
      p.taskId,
      'the deal is a TEE deal and the contribution names no enclave',
      'Run the task in an enclave and pass its enclave challenge address.',
    );
  }
  const teeBroker = await client.publicClient.readContract({
    address: client.addresses.poco,
    abi: iexecPocoAbi,
    functionName: 'teebroker',
  });
  const authority = p.enclaveChallenge !== zeroAddress && teeBroker !== zeroAddress ? teeBroker : deal.workerpool.owner;
  const authorizer = await recoverOrZero(() =>
    recoverWorkerAuthorizationSigner({ worker, taskId: p.taskId, enclaveChallenge: p.enclaveChallenge }, p.authorizationSign),
  );
  if (!isAddressEqual(authorizer, authority)) return new InvalidAuthorizationError(authorizer, authority);
  if (p.enclaveChallenge !== zeroAddress) {
    const signer = await recoverOrZero(() =>
      recoverEnclaveResultSigner({ worker, taskId: p.taskId, resultDigest: p.resultDigest }, p.enclaveSign),
    );
    if (!isAddressEqual(signer, p.enclaveChallenge)) return new InvalidEnclaveSignatureError(signer, p.enclaveChallenge);
  }
  return undefined;
}

async function recoverOrZero(recover: () => Promise<Address>): Promise<Address> {
  try {
    return await recover();
  } catch {
    return zeroAddress;
  }
}
