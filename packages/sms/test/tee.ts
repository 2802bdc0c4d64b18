import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  appSecretChallenge,
  buildAppOrder,
  buildDatasetOrder,
  buildRequestOrder,
  buildWorkerpoolOrder,
  createApp,
  getPocoDomain,
  hashOrder,
  initializeTask,
  matchOrders,
  requesterSecretChallenge,
  signOrder,
  signWorkerAuthorization,
  TDX_TAG,
  web2SecretChallenge,
  web3SecretChallenge,
} from '@confidant/contracts';
import { createApiClient } from '@confidant/sdk';
import { createEnclaveKeys, createSimulatedPlatform, type EnclaveKeys, openSealedBox, type Quote } from '@confidant/enclave';
import { type Address, type Hex, keccak256, toHex } from 'viem';
import { RESULT_ENCRYPTION_PUBLIC_KEY_NAME } from '../src/resultEncryptionKey.js';
import type { SessionBundle } from '../src/tee/session.js';
import { type Harness, randomKey, sign } from './harness.js';

/** The platform root the test SMS trusts, and another one it does not. */
export const trustedPlatform = createSimulatedPlatform();
export const untrustedPlatform = createSimulatedPlatform();

const REQUESTER_SECRET_KEY = 'token';
const PARAMS = JSON.stringify({ iexec_secrets: { '1': REQUESTER_SECRET_KEY }, iexec_result_encryption: true });

/** The requester's standing secrets, pushed once per SMS (they are immutable). */
export type RequesterSecrets = { token: string; resultPublicKey: string };

/**
 * Pushes the requester's secret "token" and its result encryption key to an SMS.
 *
 * @example
 * const secrets = await pushRequesterSecrets(h, h.sms.url);
 */
export async function pushRequesterSecrets(
  h: Harness,
  smsUrl: string,
  secrets: RequesterSecrets = newRequesterSecrets(),
): Promise<RequesterSecrets> {
  const requester = h.chain.accounts.requester;
  await expectStored(
    fetch(`${smsUrl}/requesters/${requester.address}/secrets/${REQUESTER_SECRET_KEY}`, {
      method: 'POST',
      body: secrets.token,
      headers: {
        authorization: await sign(
          requester,
          requesterSecretChallenge({ requesterAddress: requester.address, secretKey: REQUESTER_SECRET_KEY, value: secrets.token }),
        ),
      },
    }),
  );
  await expectStored(
    fetch(`${smsUrl}/secrets/web2?ownerAddress=${requester.address}&secretName=${RESULT_ENCRYPTION_PUBLIC_KEY_NAME}`, {
      method: 'POST',
      body: secrets.resultPublicKey,
      headers: {
        authorization: await sign(
          requester,
          web2SecretChallenge({
            ownerAddress: requester.address,
            secretName: RESULT_ENCRYPTION_PUBLIC_KEY_NAME,
            value: secrets.resultPublicKey,
          }),
        ),
      },
    }),
  );
  return secrets;
}

function newRequesterSecrets(): RequesterSecrets {
  const { publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { token: `token-${randomBytes(16).toString('hex')}`, resultPublicKey: Buffer.from(publicKey).toString('base64') };
}

export type TeeTask = {
  app: Address;
  dataset: Address;
  /** The app's on-chain checksum: what the enclave must measure. */
  measurement: Hex;
  dealId: Hex;
  /** Undefined when the test asked for a deal without initializing its task. */
  taskId: Hex;
  datasetOrderHash: Hex;
  datasetKey: string;
  appSecret: string;
};

/** How the data owner publishes the grant (the dataset order) on the marketplace before the deal. */
export type GrantPublication = {
  /** The marketplace API's tRPC URL. */
  apiUrl: string;
  /** When the grant ends; the API refuses a date in the past. */
  expiresAt?: Date;
  /** The requester holds the signed order and matches it on chain only after this time. */
  matchAfter?: Date;
};

/**
 * A TEE deal on the local chain: an app whose checksum is a fresh measurement, a dataset, the four
 * orders (free, TDX tag, params asking for requester secret "token" and an encrypted result), matched;
 * the dataset key and the app secret pushed to `smsUrl` unless told not to; the task initialized unless
 * told not to. With `grant`, the dataset order is published to the marketplace API first.
 *
 * @example
 * const task = await createTeeTask(h, { grant: { apiUrl: api.url, expiresAt: new Date(Date.now() + 60_000) } });
 */
export async function createTeeTask(
  h: Harness,
  options: { smsUrl?: string; pushDatasetKey?: boolean; initialize?: boolean; params?: string; grant?: GrantPublication } = {},
): Promise<TeeTask> {
  const { chain } = h;
  const smsUrl = options.smsUrl ?? h.sms.url;
  const measurement = keccak256(toHex(randomBytes(32)));
  const publisher = chain.client('publisher');
  const { address: app } = await createApp(publisher, {
    name: `tee-app-${randomBytes(6).toString('hex')}`,
    multiaddr: 'bundle://tee-app',
    checksum: measurement,
    mrenclave: JSON.stringify({ framework: 'TDX', version: 'simulated', fingerprint: measurement }),
  });
  const dataset = await h.createDataset();
  const requester = chain.accounts.requester.address;
  const [appOrder, datasetOrder, workerpoolOrder, requestOrder] = await Promise.all([
    signOrder(publisher, { kind: 'app', order: buildAppOrder({ app, tag: TDX_TAG }) }),
    signOrder(chain.client('dataOwner'), {
      kind: 'dataset',
      order: buildDatasetOrder({ dataset, tag: TDX_TAG, apprestrict: app, requesterrestrict: requester }),
    }),
    signOrder(chain.client('scheduler'), {
      kind: 'workerpool',
      order: buildWorkerpoolOrder({ workerpool: chain.workerpool.address, tag: TDX_TAG }),
    }),
    signOrder(chain.client('requester'), {
      kind: 'request',
      order: buildRequestOrder({
        app,
        dataset,
        workerpool: chain.workerpool.address,
        requester,
        tag: TDX_TAG,
        params: options.params ?? PARAMS,
      }),
    }),
  ]);
  if (options.grant) {
    const { apiUrl, expiresAt, matchAfter } = options.grant;
    await createApiClient(apiUrl).orders.publish.mutate({ kind: 'dataset', order: datasetOrder, ...(expiresAt ? { expiresAt } : {}) });
    if (matchAfter) await new Promise((resolve) => setTimeout(resolve, Math.max(0, matchAfter.getTime() - Date.now())));
  }
  const { dealId } = await matchOrders(chain.client('requester'), { appOrder, datasetOrder, workerpoolOrder, requestOrder });
  const datasetOrderHash = hashOrder({ domain: await getPocoDomain(publisher), kind: 'dataset', order: datasetOrder });
  const datasetKey = randomKey();
  const appSecret = `app-secret-${randomBytes(16).toString('hex')}`;
  if (options.pushDatasetKey !== false) await pushDatasetKey(h, smsUrl, dataset, datasetKey);
  await expectStored(
    fetch(`${smsUrl}/apps/${app}/secrets`, {
      method: 'POST',
      body: appSecret,
      headers: { authorization: await sign(chain.accounts.publisher, appSecretChallenge({ appAddress: app, value: appSecret })) },
    }),
  );
  const taskId =
    options.initialize === false
      ? (undefined as unknown as Hex)
      : (await initializeTask(chain.client('worker'), { dealId, index: 0n })).taskId;
  return { app, dataset, measurement, dealId, taskId, datasetOrderHash, datasetKey, appSecret };
}

async function pushDatasetKey(h: Harness, smsUrl: string, dataset: Address, key: string): Promise<void> {
  await expectStored(
    fetch(`${smsUrl}/secrets/web3?secretAddress=${dataset}`, {
      method: 'POST',
      body: key,
      headers: { authorization: await sign(h.chain.accounts.dataOwner, web3SecretChallenge({ secretAddress: dataset, value: key })) },
    }),
  );
}

async function expectStored(response: Promise<Response>): Promise<void> {
  const answer = await response;
  // 409: a standing secret this SMS already holds.
  if (answer.status !== 204 && answer.status !== 409) throw new TypeError(`push refused: ${answer.status} ${await answer.text()}`);
}

/** An enclave for one task: its keys and a quote over a nonce the SMS issued. */
export type Enclave = { keys: EnclaveKeys; quote: Quote; nonce: Hex };

/**
 * Asks `smsUrl` for a challenge for the task and has a (by default trusted) platform quote it.
 *
 * @example
 * const enclave = await startEnclave(h.sms.url, task);
 */
export async function startEnclave(
  smsUrl: string,
  task: Pick<TeeTask, 'taskId' | 'measurement'>,
  options: { platform?: ReturnType<typeof createSimulatedPlatform>; measurement?: Hex; nonce?: Hex } = {},
): Promise<Enclave> {
  let nonce = options.nonce;
  if (!nonce) {
    const response = await fetch(`${smsUrl}/tee/challenges/${task.taskId}`, { method: 'POST' });
    if (response.status !== 200) throw new TypeError(`challenge refused: ${response.status} ${await response.text()}`);
    nonce = ((await response.json()) as { nonce: Hex }).nonce;
  }
  const keys = createEnclaveKeys();
  const quote = await (options.platform ?? trustedPlatform).quote({
    measurement: options.measurement ?? task.measurement,
    enclaveAddress: keys.account.address,
    encryptionPublicKey: keys.encryptionPublicKey,
    taskId: task.taskId,
    nonce,
    issuedAt: Math.floor(Date.now() / 1000),
  });
  return { keys, quote, nonce };
}

/** The body of a session request, authorized by the workerpool owner (the scheduler) unless told otherwise. */
export async function sessionBody(
  h: Harness,
  task: Pick<TeeTask, 'taskId'>,
  enclave: Enclave,
  options: { authorizer?: Harness['chain']['accounts']['scheduler']; authorizedEnclave?: Address } = {},
) {
  const worker = h.chain.accounts.worker.address;
  const authorization = await signWorkerAuthorization((options.authorizer ?? h.chain.accounts.scheduler).account, {
    worker,
    taskId: task.taskId,
    enclaveChallenge: options.authorizedEnclave ?? enclave.keys.account.address,
  });
  return {
    taskId: task.taskId,
    workerAddress: worker,
    enclaveChallenge: enclave.keys.account.address,
    authorization,
    quote: enclave.quote,
  };
}

export type SessionAnswer = { status: number; sealed?: unknown; error?: { name: string; message: string; hints?: string[] }; text: string };

/** POSTs a session request and reads the answer. */
export async function askSession(smsUrl: string, body: unknown): Promise<SessionAnswer> {
  const response = await fetch(`${smsUrl}/tee/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as { sealed?: unknown; error?: SessionAnswer['error'] }) : {};
  return { status: response.status, text, ...json };
}

/** Opens a released box with the enclave's private key. */
export function openBundle(enclave: Enclave, sealed: unknown, taskId: Hex): SessionBundle {
  return JSON.parse(new TextDecoder().decode(openSealedBox(enclave.keys, sealed, taskId))) as SessionBundle;
}
