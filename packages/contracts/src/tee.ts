import { type Address, encodePacked, type Hex, keccak256, type LocalAccount, recoverMessageAddress } from 'viem';

export type WorkerAuthorization = {
  /** The worker account that will send contributeAndFinalize. */
  worker: Address;
  taskId: Hex;
  /** The enclave's fresh public address (its "enclave challenge"). */
  enclaveChallenge: Address;
};

export type EnclaveResult = {
  worker: Address;
  taskId: Hex;
  /** The digest of the result (sha256 of the output, see the enclave runtime). */
  resultDigest: Hex;
};

/**
 * What a workerpool owner signs to let one worker contribute to one task from one enclave:
 * keccak256(worker, taskId, enclaveChallenge).
 *
 * @example
 * const hash = hashWorkerAuthorization({ worker, taskId, enclaveChallenge });
 */
export function hashWorkerAuthorization({ worker, taskId, enclaveChallenge }: WorkerAuthorization): Hex {
  return keccak256(encodePacked(['address', 'bytes32', 'address'], [worker, taskId, enclaveChallenge]));
}

/**
 * The workerpool owner's (scheduler's) EIP-191 signature authorizing a worker and enclave on a task.
 *
 * @example
 * const authorizationSign = await signWorkerAuthorization(scheduler, { worker, taskId, enclaveChallenge });
 */
export function signWorkerAuthorization(scheduler: LocalAccount, authorization: WorkerAuthorization): Promise<Hex> {
  return scheduler.signMessage({ message: { raw: hashWorkerAuthorization(authorization) } });
}

/**
 * Who signed a worker authorization.
 *
 * @example
 * const signer = await recoverWorkerAuthorizationSigner({ worker, taskId, enclaveChallenge }, sign);
 */
export function recoverWorkerAuthorizationSigner(authorization: WorkerAuthorization, signature: Hex): Promise<Address> {
  return recoverMessageAddress({ message: { raw: hashWorkerAuthorization(authorization) }, signature });
}

/**
 * keccak256(taskId, resultDigest): the result hash a contribution commits to.
 *
 * @example
 * const resultHash = computeResultHash(taskId, resultDigest);
 */
export function computeResultHash(taskId: Hex, resultDigest: Hex): Hex {
  return keccak256(encodePacked(['bytes32', 'bytes32'], [taskId, resultDigest]));
}

/**
 * keccak256(worker, taskId, resultDigest): binds the result to the worker that reports it.
 *
 * @example
 * const resultSeal = computeResultSeal(worker, taskId, resultDigest);
 */
export function computeResultSeal(worker: Address, taskId: Hex, resultDigest: Hex): Hex {
  return keccak256(encodePacked(['address', 'bytes32', 'bytes32'], [worker, taskId, resultDigest]));
}

/**
 * What the enclave signs: keccak256(resultHash, resultSeal).
 *
 * @example
 * const hash = hashEnclaveResult({ worker, taskId, resultDigest });
 */
export function hashEnclaveResult({ worker, taskId, resultDigest }: EnclaveResult): Hex {
  return keccak256(
    encodePacked(['bytes32', 'bytes32'], [computeResultHash(taskId, resultDigest), computeResultSeal(worker, taskId, resultDigest)]),
  );
}

/**
 * The enclave's EIP-191 signature of a result, with its challenge key; checked by contributeAndFinalize.
 *
 * @example
 * const enclaveSign = await signEnclaveResult(enclaveKey, { worker, taskId, resultDigest });
 */
export function signEnclaveResult(enclave: LocalAccount, result: EnclaveResult): Promise<Hex> {
  return enclave.signMessage({ message: { raw: hashEnclaveResult(result) } });
}

/**
 * Who signed an enclave result.
 *
 * @example
 * const signer = await recoverEnclaveResultSigner({ worker, taskId, resultDigest }, enclaveSign);
 */
export function recoverEnclaveResultSigner(result: EnclaveResult, signature: Hex): Promise<Address> {
  return recoverMessageAddress({ message: { raw: hashEnclaveResult(result) }, signature });
}
