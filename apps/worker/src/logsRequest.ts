import { type Address, encodePacked, type Hex, keccak256, type LocalAccount, recoverMessageAddress } from 'viem';
import { LogsUnauthenticatedError } from './errors.js';

/** The domain string a logs request signs, so the signature can serve no other purpose. */
export const TASK_LOGS_DOMAIN = 'CONFIDANT_TASK_LOGS';
/** How far ahead a logs request may expire: a leaked signature is useless after 10 minutes. */
export const MAX_LOGS_REQUEST_SECONDS = 600;

export type TaskLogsRequest = { taskId: Hex; /** Unix seconds. */ expiresAt: bigint | number };

/**
 * What a requester signs to read a task's logs: keccak256(abi.encodePacked("CONFIDANT_TASK_LOGS", taskId, uint64 expiresAt)).
 *
 * @example
 * const hash = hashTaskLogsRequest({ taskId, expiresAt: 1_700_000_600 });
 */
export function hashTaskLogsRequest({ taskId, expiresAt }: TaskLogsRequest): Hex {
  return keccak256(encodePacked(['string', 'bytes32', 'uint64'], [TASK_LOGS_DOMAIN, taskId, BigInt(expiresAt)]));
}

/**
 * The requester's personal_sign of a logs request; send it as `authorization`, with `x-expires-at`.
 *
 * @example
 * const expiresAt = Math.floor(Date.now() / 1000) + 300;
 * const authorization = await signTaskLogsRequest(requester, { taskId, expiresAt });
 * await fetch(`${workerUrl}/tasks/${taskId}/logs`, { headers: { authorization, 'x-expires-at': String(expiresAt) } });
 */
export function signTaskLogsRequest(account: LocalAccount, request: TaskLogsRequest): Promise<Hex> {
  return account.signMessage({ message: { raw: hashTaskLogsRequest(request) } });
}

/**
 * Who signed a logs request, after checking its expiry (future, at most 10 minutes ahead).
 *
 * @example
 * const signer = await recoverTaskLogsSigner({ taskId, authorization: req.headers.authorization, expiresAt: req.headers['x-expires-at'] });
 */
export async function recoverTaskLogsSigner(input: { taskId: Hex; authorization: string | undefined; expiresAt: string | undefined; now?: number | undefined }): Promise<Address> {
  if (!input.authorization) throw new LogsUnauthenticatedError('it has no authorization header');
  if (!input.expiresAt || !/^\d{1,12}$/.test(input.expiresAt)) throw new LogsUnauthenticatedError('its x-expires-at header is missing or not unix seconds');
  const now = input.now ?? Math.floor(Date.now() / 1000);
  const expiresAt = Number(input.expiresAt);
  if (expiresAt <= now) throw new LogsUnauthenticatedError('it has expired');
  if (expiresAt > now + MAX_LOGS_REQUEST_SECONDS) throw new LogsUnauthenticatedError(`it expires more than ${MAX_LOGS_REQUEST_SECONDS} s ahead`);
  const signature = input.authorization.startsWith('0x') ? input.authorization : `0x${input.authorization}`;
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) throw new LogsUnauthenticatedError('its authorization is not a 65-byte signature');
  try {
    return await recoverMessageAddress({ message: { raw: hashTaskLogsRequest({ taskId: input.taskId, expiresAt }) }, signature: signature as Hex });
  } catch {
    throw new LogsUnauthenticatedError('its signature cannot be recovered');
  }
}
