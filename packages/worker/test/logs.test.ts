import { type LocalChain, startLocalChain } from '@confidant/local-chain';
import type { Hex, LocalAccount } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTaskLogsRequest, type Worker } from '../src/index.js';
import { createSimulatedExecutor } from '../src/testing.js';
import { matchDeal, startTestWorker, waitForDealTasks } from './harness.js';

let chain: LocalChain;
let worker: Worker;
let taskId: Hex;
beforeAll(async () => {
  chain = await startLocalChain();
  worker = await startTestWorker(chain, { executor: createSimulatedExecutor() });
  const { dealId } = await matchDeal(chain);
  const [row] = await waitForDealTasks(worker, dealId, 1, ['COMPLETED']);
  taskId = row?.taskId as Hex;
});
afterAll(async () => {
  await worker?.stop();
  await chain?.stop();
});

const now = () => Math.floor(Date.now() / 1000);

async function getLogs(id: Hex, headers: Record<string, string>) {
  const response = await fetch(`${worker.url}/tasks/${id}/logs`, { headers });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { error?: { name: string; message: string } },
  };
}

async function signed(account: LocalAccount, id: Hex, expiresAt: number) {
  return { authorization: await signTaskLogsRequest(account, { taskId: id, expiresAt }), 'x-expires-at': String(expiresAt) };
}

describe('GET /tasks/{taskId}/logs', () => {
  it('serves the logs to the requester', async () => {
    const { status, body } = await getLogs(taskId, await signed(chain.accounts.requester.account, taskId, now() + 300));
    expect(status).toBe(200);
    expect(body).toMatchObject({ taskId, status: 'COMPLETED', attempts: 1, cause: null });
    expect(body.logs).toContain('app: hello from task 0');
  });

  it('refuses another account with 403', async () => {
    const { status, body } = await getLogs(taskId, await signed(chain.accounts.publisher.account, taskId, now() + 300));
    expect(status).toBe(403);
    expect(body.error?.name).toBe('LogsForbiddenError');
    expect(body.error?.message).toBe(
      `the logs of a task are served to its requester only, and the request is signed by ${chain.accounts.publisher.address}`,
    );
    expect(JSON.stringify(body)).not.toContain('hello');
  });

  it('refuses an expired request, one expiring too far ahead, and one for another task with 401', async () => {
    const requester = chain.accounts.requester.account;
    const expired = await getLogs(taskId, await signed(requester, taskId, now() - 5));
    expect(expired.status).toBe(401);
    expect(expired.body.error?.message).toBe('the logs request is not authenticated: it has expired');
    const tooLong = await getLogs(taskId, await signed(requester, taskId, now() + 3_600));
    expect(tooLong.status).toBe(401);
    expect(tooLong.body.error?.message).toBe('the logs request is not authenticated: it expires more than 600 s ahead');
    // A signature over another expiry (or task) recovers another account: not the requester.
    const expiresAt = now() + 300;
    const replayed = await getLogs(taskId, { ...(await signed(requester, taskId, expiresAt)), 'x-expires-at': String(expiresAt + 1) });
    expect(replayed.status).toBe(403);
  });

  it('refuses a request without authorization with 401', async () => {
    const missing = await getLogs(taskId, {});
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({
      name: 'LogsUnauthenticatedError',
      message: 'the logs request is not authenticated: it has no authorization header',
    });
    const noExpiry = await getLogs(taskId, {
      authorization: (await signed(chain.accounts.requester.account, taskId, now() + 60)).authorization,
    });
    expect(noExpiry.status).toBe(401);
    const garbage = await getLogs(taskId, { authorization: 'not-a-signature', 'x-expires-at': String(now() + 60) });
    expect(garbage.status).toBe(401);
  });

  it('answers 404 for a task the worker does not have', async () => {
    const other = `0x${'ab'.repeat(32)}` as Hex;
    const { status, body } = await getLogs(other, await signed(chain.accounts.requester.account, other, now() + 60));
    expect(status).toBe(404);
    expect(body.error?.name).toBe('TaskUnknownError');
  });
});
