import { encodePacked, keccak256 } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { computeTaskId } from './taskId.js';
import {
  computeResultHash,
  computeResultSeal,
  hashEnclaveResult,
  hashWorkerAuthorization,
  recoverEnclaveResultSigner,
  recoverWorkerAuthorizationSigner,
  signEnclaveResult,
  signWorkerAuthorization,
} from './tee.js';

const scheduler = privateKeyToAccount(`0x${'01'.repeat(32)}`);
const enclave = privateKeyToAccount(`0x${'02'.repeat(32)}`);
const worker = privateKeyToAccount(`0x${'03'.repeat(32)}`).address;
const dealId = `0x${'d1'.repeat(32)}` as const;
const taskId = computeTaskId(dealId, 2n);
const resultDigest = `0x${'ee'.repeat(32)}` as const;

describe('TEE signatures', () => {
  it('derives the task id as keccak256(dealId, index)', () => {
    expect(taskId).toBe(keccak256(`${dealId}${'0'.repeat(63)}2`));
  });

  it('hashes what contributeAndFinalize checks', () => {
    expect(hashWorkerAuthorization({ worker, taskId, enclaveChallenge: enclave.address })).toBe(
      keccak256(`0x${worker.slice(2)}${taskId.slice(2)}${enclave.address.slice(2)}`.toLowerCase() as `0x${string}`),
    );
    const resultHash = computeResultHash(taskId, resultDigest);
    const resultSeal = computeResultSeal(worker, taskId, resultDigest);
    expect(resultSeal).toBe(keccak256(encodePacked(['address', 'bytes32', 'bytes32'], [worker, taskId, resultDigest])));
    expect(hashEnclaveResult({ worker, taskId, resultDigest })).toBe(
      keccak256(encodePacked(['bytes32', 'bytes32'], [resultHash, resultSeal])),
    );
  });

  it('signs as EIP-191 messages that recover to the signer', async () => {
    const authorization = { worker, taskId, enclaveChallenge: enclave.address };
    const authorizationSign = await signWorkerAuthorization(scheduler, authorization);
    expect(await recoverWorkerAuthorizationSigner(authorization, authorizationSign)).toBe(scheduler.address);
    const result = { worker, taskId, resultDigest };
    const enclaveSign = await signEnclaveResult(enclave, result);
    expect(await recoverEnclaveResultSigner(result, enclaveSign)).toBe(enclave.address);
    // Another task's result does not verify.
    expect(await recoverEnclaveResultSigner({ ...result, taskId: computeTaskId(dealId, 3n) }, enclaveSign)).not.toBe(enclave.address);
  });
});
