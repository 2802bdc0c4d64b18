import { hashTaskLogsRequest, MAX_LOGS_REQUEST_SECONDS, type TaskLogsRequest } from '@confidant/contracts';
import { type Address, type Hex, type LocalAccount, recoverMessageAddress } from 'viem';
import { LogsUnauthenticatedError } from './errors.js';

// The request format is protocol, shared with the SDK: it lives in @confidant/contracts.
export { hashTaskLogsRequest, MAX_LOGS_REQUEST_SECONDS, TASK_LOGS_DOMAIN, type TaskLogsRequest } from '@confidant/contracts';

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
export async function recoverTaskLogsSigner(input: {
  taskId: Hex;
  authorization: string | undefined;
  expiresAt: string | undefined;
  now?: number | undefined;
}): Promise<Address> {
  if (!input.authorization) throw new LogsUnauthenticatedError('it has no authorization header');
  if (!input.expiresAt || !/^\d{1,12}$/.test(input.expiresAt))
    throw new LogsUnauthenticatedError('its x-expires-at header is missing or not unix seconds');
  const now = input.now ?? Math.floor(Date.now() / 1000);
  const expiresAt = Number(input.expiresAt);
  if (expiresAt <= now) throw new LogsUnauthenticatedError('it has expired');
  if (expiresAt > now + MAX_LOGS_REQUEST_SECONDS)
    throw new LogsUnauthenticatedError(`it expires more than ${MAX_LOGS_REQUEST_SECONDS} s ahead`);
  const signature = input.authorization.startsWith('0x') ? input.authorization : `0x${input.authorization}`;
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) throw new LogsUnauthenticatedError('its authorization is not a 65-byte signature');
  try {
    return await recoverMessageAddress({
      message: { raw: hashTaskLogsRequest({ taskId: input.taskId, expiresAt }) },
      signature: signature as Hex,
    });
  } catch {
    throw new LogsUnauthenticatedError('its signature cannot be recovered');
  }
}
