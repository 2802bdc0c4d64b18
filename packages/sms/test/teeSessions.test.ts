import { randomBytes } from 'node:crypto';
import { computeTaskId, contributeAndFinalize, signEnclaveResult, signWorkerAuthorization } from '@confidant/contracts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { type Hex, keccak256, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { type Api, startApi } from '@confidant/api';
import { createTestDb } from '@confidant/db/testing';
import type { ApiOutputs } from '@confidant/sdk';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { ApiOrderExpiry } from '../src/tee/grants.js';
import { teeChallenges } from '../src/schema.js';
import { type Sms, type StartSmsParameters, startSms } from '../src/startSms.js';
import { type Harness, startHarness } from './harness.js';
import {
  askSession,
  createTeeTask,
  openBundle,
  pushRequesterSecrets,
  type RequesterSecrets,
  sessionBody,
  startEnclave,
  type TeeTask,
  trustedPlatform,
  untrustedPlatform,
} from './tee.js';

let h: Harness;
/** The real marketplace API on the test chain: the SMS asks it for grant expiry. */
let api: Api | undefined;
let requesterSecrets: RequesterSecrets;
const apiUrl = () => {
  if (!api) throw new TypeError('the API is not started');
  return api.url;
};
const others: Sms[] = [];

beforeAll(async () => {
  // The SMS asks its resolver each time: the API starts on the harness's chain right after it.
  h = await startHarness({ sms: { verifier: { trustedSimulationRoots: [trustedPlatform.root] }, apiUrl: () => api?.url } });
  api = await startApi({
    network: 'local',
    rpcUrl: h.chain.rpcUrl,
    addresses: h.chain.addresses,
    database: await createTestDb(),
    indexerStartBlock: h.chain.startBlock,
    cacheTtlMs: 0,
  });
  requesterSecrets = await pushRequesterSecrets(h, h.sms.url);
});
afterAll(async () => {
  for (const sms of others) await sms.stop();
  await api?.stop();
  await h?.stop();
});

/** Another SMS on the same chain, in memory, logging into the same list. */
async function startOtherSms(overrides: Partial<StartSmsParameters>): Promise<Sms> {
  const sms = await startSms({
    network: 'local',
    rpcUrl: h.chain.rpcUrl,
    addresses: h.chain.addresses,
    masterKey: randomBytes(32),
    databaseUrl: undefined,
    dataDir: undefined,
    rateLimit: false,
    logger: { info: (line) => h.logs.push(line), error: (line) => h.logs.push(line) },
    ...overrides,
  });
  others.push(sms);
  return sms;
}

/** Every secret a test may have released: none of them may ever appear in a log. */
const secretValues: string[] = [];
const remember = (task: TeeTask) => {
  secretValues.push(task.datasetKey, task.appSecret);
  return task;
};

async function refusedSession(smsUrl: string, body: unknown) {
  const answer = await askSession(smsUrl, body);
  expect(answer.sealed).toBeUndefined();
  for (const value of [...secretValues, requesterSecrets.token, requesterSecrets.resultPublicKey]) expect(answer.text).not.toContain(value);
  return answer;
}

describe('POST /tee/challenges/{taskId}', () => {
  it('hands out a fresh bytes32 nonce bound to an ACTIVE task, expiring in 10 minutes', async () => {
    const task = remember(await createTeeTask(h));
    const before = Date.now();
    const response = await fetch(`${h.sms.url}/tee/challenges/${task.taskId}`, { method: 'POST' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { taskId: string; nonce: string; expiresAt: string };
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'nonce', 'taskId']);
    expect(body.taskId).toBe(task.taskId.toLowerCase());
    expect(body.nonce).toMatch(/^0x[0-9a-f]{64}$/);
    const ttl = new Date(body.expiresAt).getTime() - before;
    expect(ttl).toBeGreaterThan(590_000);
    expect(ttl).toBeLessThan(610_000);
    const again = (await (await fetch(`${h.sms.url}/tee/challenges/${task.taskId}`, { method: 'POST' })).json()) as { nonce: string };
    expect(again.nonce).not.toBe(body.nonce);
  });

  it('refuses a task that was never initialized (404) or is no longer ACTIVE (409), and a malformed id (400)', async () => {
    const pending = remember(await createTeeTask(h, { initialize: false }));
    const unknownTask = computeTaskId(pending.dealId, 0n);
    const notFound = await fetch(`${h.sms.url}/tee/challenges/${unknownTask}`, { method: 'POST' });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({
      error: { name: 'UnknownTaskError', message: `task ${unknownTask} does not exist on this network (never initialized)` },
    });

    const done = remember(await createTeeTask(h));
    await completeTask(done.taskId);
    const finished = await fetch(`${h.sms.url}/tee/challenges/${done.taskId}`, { method: 'POST' });
    expect(finished.status).toBe(409);
    expect(await finished.json()).toMatchObject({
      error: { name: 'TaskNotActiveError', message: `task ${done.taskId} is COMPLETED, not ACTIVE: no secret is released for it` },
    });

    const malformed = await fetch(`${h.sms.url}/tee/challenges/0x1234`, { method: 'POST' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { name: 'InvalidTeeRequestError', message: 'the task id is not valid ("0x1234")' },
    });
    expect((await fetch(`${h.sms.url}/tee/challenges/${done.taskId}`)).status).toBe(405);
  });
});

describe('POST /tee/sessions', () => {
  it("releases the deal's dataset key, requester secret, app secret and result key, sealed to the attested enclave", async () => {
    const task = remember(await createTeeTask(h));
    const enclave = await startEnclave(h.sms.url, task);
    const logged = h.logs.length;
    const answer = await askSession(h.sms.url, await sessionBody(h, task, enclave));
    expect(answer.status).toBe(200);
    expect(Object.keys(answer as object).filter((key) => key !== 'status' && key !== 'text')).toEqual(['sealed']);
    expect(openBundle(enclave, answer.sealed, task.taskId)).toEqual({
      datasetKey: task.datasetKey,
      requesterSecrets: { '1': requesterSecrets.token },
      appDeveloperSecret: task.appSecret,
      resultEncryptionPublicKey: requesterSecrets.resultPublicKey,
    });
    // Only the enclave opens it: another key or another task's context does not.
    const stranger = await startEnclave(h.sms.url, task);
    expect(() => openBundle(stranger, answer.sealed, task.taskId)).toThrow(/cannot be opened/);
    expect(() => openBundle(enclave, answer.sealed, keccak256(task.taskId))).toThrow(/cannot be opened/);
    const log = h.logs.slice(logged).join('\n');
    // The API was asked about exactly the dataset order the deal consumed (and does not know it).
    expect(log).toContain(
      `sms: dataset order ${task.datasetOrderHash} of task ${task.taskId} is not published on the marketplace: it has no expiry`,
    );
    expect(log).toContain(
      `sms: tee session for task ${task.taskId}, worker ${h.chain.accounts.worker.address.toLowerCase()}, enclave ${enclave.keys.account.address.toLowerCase()}: released the key of dataset ${task.dataset.toLowerCase()}`,
    );
    expect(log).toMatch(/sms: POST \/tee\/sessions 200 \d+ms/);
  });

  it('releases only what the deal asks: no requester secret or result key when the params name none', async () => {
    const task = remember(await createTeeTask(h, { params: JSON.stringify({ iexec_args: 'x' }) }));
    const enclave = await startEnclave(h.sms.url, task);
    const answer = await askSession(h.sms.url, await sessionBody(h, task, enclave));
    expect(answer.status).toBe(200);
    expect(openBundle(enclave, answer.sealed, task.taskId)).toEqual({
      datasetKey: task.datasetKey,
      requesterSecrets: {},
      appDeveloperSecret: task.appSecret,
    });
  });

  it('refuses a second session with the same quote and nonce (replay, 409)', async () => {
    const task = remember(await createTeeTask(h));
    const enclave = await startEnclave(h.sms.url, task);
    const body = await sessionBody(h, task, enclave);
    const [first, second] = await Promise.all([askSession(h.sms.url, body), askSession(h.sms.url, body)]);
    // Two at once: exactly one wins.
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const replay = await refusedSession(h.sms.url, body);
    expect(replay).toMatchObject({
      status: 409,
      error: {
        name: 'TeeChallengeUsedError',
        message: `the quote's nonce for task ${task.taskId} was already used by a session; a session is given once per nonce`,
      },
    });
  });

  it('refuses a nonce it never issued, one issued for another task, and an expired one (403)', async () => {
    const task = remember(await createTeeTask(h));
    const unknown = await startEnclave(h.sms.url, task, { nonce: toHex(randomBytes(32)) });
    expect(await refusedSession(h.sms.url, await sessionBody(h, task, unknown))).toMatchObject({
      status: 403,
      error: { name: 'UnknownTeeChallengeError' },
    });

    const other = remember(await createTeeTask(h));
    const response = await fetch(`${h.sms.url}/tee/challenges/${other.taskId}`, { method: 'POST' });
    const { nonce: otherNonce } = (await response.json()) as { nonce: Hex };
    const misbound = await startEnclave(h.sms.url, task, { nonce: otherNonce });
    expect(await refusedSession(h.sms.url, await sessionBody(h, task, misbound))).toMatchObject({
      status: 403,
      error: { name: 'UnknownTeeChallengeError', message: `the quote's nonce was issued for another task, not for task ${task.taskId}` },
    });

    const stale = await startEnclave(h.sms.url, task);
    await h.sms.database.db
      .update(teeChallenges)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(teeChallenges.nonce, stale.nonce));
    const expired = await refusedSession(h.sms.url, await sessionBody(h, task, stale));
    expect(expired).toMatchObject({ status: 403, error: { name: 'TeeChallengeExpiredError' } });
    expect(expired.error?.message).toMatch(new RegExp(`^the quote's nonce for task ${task.taskId} expired at `));
  });

  it('refuses a task that completed after its challenge was issued (409)', async () => {
    const task = remember(await createTeeTask(h));
    const enclave = await startEnclave(h.sms.url, task);
    await completeTask(task.taskId);
    expect(await refusedSession(h.sms.url, await sessionBody(h, task, enclave))).toMatchObject({
      status: 409,
      error: { name: 'TaskNotActiveError' },
    });
  });

  it('refuses a worker the workerpool owner did not authorize: another signer, or another enclave (403)', async () => {
    const task = remember(await createTeeTask(h));
    const scheduler = h.chain.accounts.scheduler.address;
    const byRequester = await startEnclave(h.sms.url, task);
    expect(
      await refusedSession(h.sms.url, await sessionBody(h, task, byRequester, { authorizer: h.chain.accounts.requester })),
    ).toMatchObject({
      status: 403,
      error: {
        name: 'WorkerNotAuthorizedError',
        message: `worker ${h.chain.accounts.worker.address.toLowerCase()} with enclave ${byRequester.keys.account.address.toLowerCase()} is not authorized: the authorization recovers to ${h.chain.accounts.requester.address}, but the deal's workerpool owner is ${scheduler}`,
      },
    });
    const forOtherEnclave = await startEnclave(h.sms.url, task);
    const refused = await refusedSession(
      h.sms.url,
      await sessionBody(h, task, forOtherEnclave, { authorizedEnclave: `0x${'42'.repeat(20)}` }),
    );
    expect(refused).toMatchObject({ status: 403, error: { name: 'WorkerNotAuthorizedError' } });
    expect(refused.error?.message).not.toContain(`recovers to ${scheduler}`);
  });

  it('refuses a quote signed by a platform root it does not trust (403)', async () => {
    const task = remember(await createTeeTask(h));
    const enclave = await startEnclave(h.sms.url, task, { platform: untrustedPlatform });
    expect(await refusedSession(h.sms.url, await sessionBody(h, task, enclave))).toMatchObject({
      status: 403,
      error: {
        name: 'QuoteRejectedError',
        message: `the enclave's attestation is refused: its platform root ${untrustedPlatform.root} is not trusted here`,
      },
    });
  });

  it('refuses a quote bound to another enclave, or changed after it was signed (403)', async () => {
    const task = remember(await createTeeTask(h));
    const enclave = await startEnclave(h.sms.url, task);
    const swapped = await startEnclave(h.sms.url, task);
    // Enclave A's quote presented for enclave B's challenge (which the workerpool did authorize).
    const borrowed = await refusedSession(h.sms.url, { ...(await sessionBody(h, task, swapped)), quote: enclave.quote });
    expect(borrowed).toMatchObject({
      status: 403,
      error: {
        name: 'QuoteRejectedError',
        message: `the enclave's attestation is refused: it binds enclave ${enclave.keys.account.address}, not ${swapped.keys.account.address.toLowerCase()}`,
      },
    });
    const tampered = await refusedSession(h.sms.url, {
      ...(await sessionBody(h, task, swapped)),
      quote: { ...swapped.quote, measurement: keccak256(toHex('other code')) },
    });
    expect(tampered).toMatchObject({ status: 403, error: { name: 'QuoteRejectedError' } });
    expect(tampered.error?.message).toMatch(/^the enclave's attestation is refused: it is signed by 0x[0-9a-fA-F]{40}, not by the root/);
  });

  it('with the production verifier configuration (no option), releases nothing to a simulated enclave', async () => {
    const production = await startOtherSms({});
    const task = remember(await createTeeTask(h, { smsUrl: production.url }));
    await pushRequesterSecrets(h, production.url);
    const enclave = await startEnclave(production.url, task);
    expect(await refusedSession(production.url, await sessionBody(h, task, enclave))).toMatchObject({
      status: 403,
      error: {
        name: 'QuoteRejectedError',
        message: `the enclave's attestation is refused: its platform root ${trustedPlatform.root} is not trusted here (this verifier trusts no simulated platform)`,
      },
    });
    expect(h.logs).toContain('sms: tee sessions: no simulated platform trusted (production); grant expiry not enforced (no API URL)');
  });

  it("refuses an enclave whose measurement is not the app's on-chain checksum (403)", async () => {
    const task = remember(await createTeeTask(h));
    const other = keccak256(toHex('another bundle'));
    const enclave = await startEnclave(h.sms.url, task, { measurement: other });
    expect(await refusedSession(h.sms.url, await sessionBody(h, task, enclave))).toMatchObject({
      status: 403,
      error: {
        name: 'MeasurementMismatchError',
        message: `the enclave's measurement ${other} is not app ${task.app.toLowerCase()}'s on-chain checksum ${task.measurement}`,
      },
    });
  });

  it("refuses a deal whose dataset has no key here, naming it, and never hands another dataset's key (404)", async () => {
    const keyed = remember(await createTeeTask(h));
    const task = remember(await createTeeTask(h, { pushDatasetKey: false }));
    const enclave = await startEnclave(h.sms.url, task);
    const answer = await refusedSession(h.sms.url, await sessionBody(h, task, enclave));
    expect(answer).toMatchObject({
      status: 404,
      error: { name: 'DatasetKeyMissingError', message: `the deal's dataset ${task.dataset.toLowerCase()} has no key stored in this SMS` },
    });
    expect(answer.text).not.toContain(keyed.datasetKey);
  });

  it('refuses a deal whose grant expired on the marketplace (403), and says so naming the order', async () => {
    // The requester kept the signed dataset order and matches it on chain after the grant ended.
    const expiresAt = new Date(Date.now() + 2_000);
    const task = remember(
      await createTeeTask(h, { grant: { apiUrl: apiUrl(), expiresAt, matchAfter: new Date(expiresAt.getTime() + 100) } }),
    );
    const expiredAt = expiresAt.toISOString();
    const enclave = await startEnclave(h.sms.url, task);
    expect(await refusedSession(h.sms.url, await sessionBody(h, task, enclave))).toMatchObject({
      status: 403,
      error: {
        name: 'GrantExpiredError',
        message: `the grant of dataset ${task.dataset.toLowerCase()} used by this deal (order ${task.datasetOrderHash}) expired at ${expiredAt}`,
      },
    });
    // A grant that expires later is still good.
    const later = remember(await createTeeTask(h, { grant: { apiUrl: apiUrl(), expiresAt: new Date(Date.now() + 3_600_000) } }));
    const fine = await startEnclave(h.sms.url, later);
    expect((await askSession(h.sms.url, await sessionBody(h, later, fine))).status).toBe(200);
  });

  it('refuses a deal whose grant expired between the match and the session (403)', async () => {
    const expiresAt = new Date(Date.now() + 3_000);
    const task = remember(await createTeeTask(h, { grant: { apiUrl: apiUrl(), expiresAt } }));
    expect(Date.now()).toBeLessThan(expiresAt.getTime());
    const enclave = await startEnclave(h.sms.url, task);
    await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() + 100 - Date.now()));
    expect(await refusedSession(h.sms.url, await sessionBody(h, task, enclave))).toMatchObject({
      status: 403,
      error: {
        name: 'GrantExpiredError',
        message: `the grant of dataset ${task.dataset.toLowerCase()} used by this deal (order ${task.datasetOrderHash}) expired at ${expiresAt.toISOString()}`,
      },
    });
  });

  it('reads the expiry from the field the API types (a renamed field fails the typecheck)', () => {
    expectTypeOf<ApiOutputs['orders']['get']['expiresAt']>().toEqualTypeOf<Date | null>();
    expectTypeOf<ApiOrderExpiry['expiresAt']>().toEqualTypeOf<Date | null>();
  });

  it('releases a grant the marketplace never published (no expiry), saying so in the log', async () => {
    const task = remember(await createTeeTask(h));
    const enclave = await startEnclave(h.sms.url, task);
    expect((await askSession(h.sms.url, await sessionBody(h, task, enclave))).status).toBe(200);
    expect(h.logs).toContain(
      `sms: dataset order ${task.datasetOrderHash} of task ${task.taskId} is not published on the marketplace: it has no expiry`,
    );
  });

  it('refuses when the marketplace API does not answer (503), and without an API says expiry is not enforced', async () => {
    const closed = await freePort();
    const unreachable = await startOtherSms({
      verifier: { trustedSimulationRoots: [trustedPlatform.root] },
      apiUrl: `http://127.0.0.1:${closed}/trpc`,
    });
    const task = remember(await createTeeTask(h, { smsUrl: unreachable.url }));
    await pushRequesterSecrets(h, unreachable.url);
    const enclave = await startEnclave(unreachable.url, task);
    const answer = await refusedSession(unreachable.url, await sessionBody(h, task, enclave));
    expect(answer).toMatchObject({ status: 503, error: { name: 'GrantStatusUnavailableError' } });
    expect(answer.error?.message).toMatch(
      new RegExp(
        `^the SMS could not check whether the grant \\(dataset order ${task.datasetOrderHash}\\) has expired: the marketplace API did not answer`,
      ),
    );
    expect(answer.error?.hints?.[0]).toContain('SMS_API_URL');

    const noApi = await startOtherSms({ verifier: { trustedSimulationRoots: [trustedPlatform.root] } });
    const open = remember(await createTeeTask(h, { smsUrl: noApi.url }));
    await pushRequesterSecrets(h, noApi.url);
    const inside = await startEnclave(noApi.url, open);
    expect((await askSession(noApi.url, await sessionBody(h, open, inside))).status).toBe(200);
    expect(h.logs).toContain(
      `sms: grant expiry is not enforced for task ${open.taskId} (dataset order ${open.datasetOrderHash}): no marketplace API is configured (SMS_API_URL)`,
    );
  });

  it('refuses when a requester secret or the result encryption key the deal asks for is missing (404)', async () => {
    const bare = await startOtherSms({ verifier: { trustedSimulationRoots: [trustedPlatform.root] } });
    const task = remember(await createTeeTask(h, { smsUrl: bare.url }));
    const enclave = await startEnclave(bare.url, task);
    const requester = h.chain.accounts.requester.address.toLowerCase();
    expect(await refusedSession(bare.url, await sessionBody(h, task, enclave))).toMatchObject({
      status: 404,
      error: {
        name: 'SessionSecretMissingError',
        message: `the deal needs requester secret "token" of ${requester}, and this SMS does not hold it`,
      },
    });
    const onlyEncryption = remember(
      await createTeeTask(h, { smsUrl: bare.url, params: JSON.stringify({ iexec_result_encryption: true }) }),
    );
    const second = await startEnclave(bare.url, onlyEncryption);
    expect(await refusedSession(bare.url, await sessionBody(h, onlyEncryption, second))).toMatchObject({
      status: 404,
      error: {
        name: 'SessionSecretMissingError',
        message: `the deal needs web2 secret "iexec-result-encryption-public-key" of ${requester} (the request asks for an encrypted result), and this SMS does not hold it`,
      },
    });
  });

  it('refuses malformed requests (400) without echoing them, and a body over 64 KiB (413)', async () => {
    const task = remember(await createTeeTask(h));
    const enclave = await startEnclave(h.sms.url, task);
    const body = await sessionBody(h, task, enclave);
    const post = (text: string) =>
      fetch(`${h.sms.url}/tee/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    expect(await (await post('not json')).json()).toMatchObject({
      error: { name: 'InvalidTeeRequestError', message: 'the request body is not JSON' },
    });
    expect(await (await post('[1]')).json()).toMatchObject({ error: { message: 'the request body is not a JSON object' } });
    const { workerAddress: _worker, ...noWorker } = body;
    expect(await askSession(h.sms.url, noWorker)).toMatchObject({ status: 400, error: { message: 'workerAddress is missing' } });
    const badAuthorization = await askSession(h.sms.url, { ...body, authorization: `${body.authorization.slice(0, -4)}` });
    expect(badAuthorization).toMatchObject({ status: 400, error: { message: 'authorization is not valid' } });
    expect(badAuthorization.text).not.toContain(body.authorization.slice(2, 40));
    expect(await askSession(h.sms.url, { ...body, quote: { ...body.quote, nonce: 'nope' } })).toMatchObject({
      status: 400,
      error: { message: 'quote is not valid' },
    });
    const large = await post(JSON.stringify({ ...body, padding: 'x'.repeat(70_000) }));
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ error: { name: 'TeeRequestTooLargeError' } });
    // None of these spent the nonce: the well-formed request still opens its session.
    expect((await askSession(h.sms.url, body)).status).toBe(200);
  });

  it('never logs a secret value, a nonce, a quote signature or an authorization', async () => {
    const log = h.logs.join('\n');
    expect(log).toContain('sms: tee session refused for task');
    for (const value of [...secretValues, requesterSecrets.token, requesterSecrets.resultPublicKey]) expect(log).not.toContain(value);
    const task = remember(await createTeeTask(h));
    const enclave = await startEnclave(h.sms.url, task, { platform: untrustedPlatform });
    const body = await sessionBody(h, task, enclave);
    await refusedSession(h.sms.url, body);
    const after = h.logs.join('\n');
    for (const value of [enclave.nonce, enclave.quote.signature, body.authorization, task.datasetKey, task.appSecret])
      expect(after).not.toContain(value.startsWith('0x') ? value.slice(2) : value);
  });
});

describe('rate limit', () => {
  it('limits challenges and sessions like pushes (429 with Retry-After)', async () => {
    const limited = await startOtherSms({ rateLimit: { requests: 2, windowMs: 60_000 } });
    const taskId = `0x${'00'.repeat(32)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) statuses.push((await fetch(`${limited.url}/tee/challenges/${taskId}`, { method: 'POST' })).status);
    const refused = await fetch(`${limited.url}/tee/sessions`, { method: 'POST', body: '{}' });
    expect(statuses).toEqual([404, 404]);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(await refused.json()).toMatchObject({ error: { name: 'RateLimitedError' } });
  });
});

async function completeTask(taskId: Hex): Promise<void> {
  const { chain } = h;
  const enclave = privateKeyToAccount(generatePrivateKey());
  const worker = chain.accounts.worker.address;
  const resultDigest = keccak256(toHex(`result of ${taskId}`));
  const [authorizationSign, enclaveSign] = await Promise.all([
    signWorkerAuthorization(chain.accounts.scheduler.account, { worker, taskId, enclaveChallenge: enclave.address }),
    signEnclaveResult(enclave, { worker, taskId, resultDigest }),
  ]);
  await contributeAndFinalize(chain.client('worker'), {
    taskId,
    resultDigest,
    results: toHex('{}'),
    enclaveChallenge: enclave.address,
    enclaveSign,
    authorizationSign,
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
