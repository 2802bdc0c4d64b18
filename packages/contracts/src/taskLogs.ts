import { encodePacked, type Hex, keccak256 } from 'viem';

/** The domain string a task-logs request signs, so the signature can serve no other purpose. */
export const TASK_LOGS_DOMAIN = 'CONFIDANT_TASK_LOGS';
/** How far ahead a logs request may expire: a leaked signature is useless after 10 minutes. */
export const MAX_LOGS_REQUEST_SECONDS = 600;

export type TaskLogsRequest = { taskId: Hex /** Unix seconds. */; expiresAt: bigint | number };

/**
 * What a requester signs (EIP-191) to read a task's logs from the worker that ran it:
 * keccak256(abi.encodePacked("CONFIDANT_TASK_LOGS", taskId, uint64 expiresAt)).
 *
 * @example
 * const hash = hashTaskLogsRequest({ taskId, expiresAt: 1_700_000_600 });
 */
export function hashTaskLogsRequest({ taskId, expiresAt }: TaskLogsRequest): Hex {
  return keccak256(encodePacked(['string', 'bytes32', 'uint64'], [TASK_LOGS_DOMAIN, taskId, BigInt(expiresAt)]));
}
