import { isTeeTag, recoverWorkerAuthorizationSigner } from '@confidant/contracts';
import { type QuoteVerifier, type SealedBox, sealToEnclave } from '@confidant/enclave';
import { type Address, type Hex, isAddressEqual, zeroAddress } from 'viem';
import { describeSecret, secretIdentity } from '../identity.js';
import type { SmsLogger } from '../logger.js';
import { RESULT_ENCRYPTION_PUBLIC_KEY_NAME } from '../resultEncryptionKey.js';
import type { SecretStore } from '../store.js';
import type { TeeChain } from './chain.js';
import type { ChallengeStore } from './challengeStore.js';
import { readDealSecretParams } from './dealParams.js';
import {
  DatasetKeyMissingError,
  GrantExpiredError,
  InvalidTeeRequestError,
  MeasurementMismatchError,
  SessionSecretMissingError,
  TaskNotActiveError,
  TaskNotTeeError,
  WorkerNotAuthorizedError,
} from './errors.js';
import type { GrantExpiryChecker } from './grants.js';

/** What the release side needs besides the secret store. */
export type TeeServices = {
  challenges: ChallengeStore;
  chain: TeeChain;
  verifier: QuoteVerifier;
  grants: GrantExpiryChecker;
};

/** A worker's request for its enclave's secrets (`POST /tee/sessions`), already parsed. */
export type SessionRequest = {
  taskId: Hex;
  workerAddress: Address;
  enclaveChallenge: Address;
  /** The workerpool owner's personal_sign over keccak256(abi.encodePacked(worker, taskId, enclaveChallenge)). */
  authorization: Hex;
  /** The nonce the quote claims (read before the quote is verified, to consume it first). */
  nonce: Hex;
  /** The quote as the enclave produced it; the verifier parses it. */
  quote: unknown;
};

/** What the enclave receives, sealed to its key: JSON of this object. */
export type SessionBundle = {
  /** The deal's dataset key (base64), when the deal has a dataset. */
  datasetKey?: string;
  /** Index ("1", "2", …, from the request's `iexec_secrets`) → the requester secret's value. */
  requesterSecrets: Record<string, string>;
  /** The app developer's secret, when the app's owner pushed one. */
  appDeveloperSecret?: string;
  /** The beneficiary's `iexec-result-encryption-public-key` (base64 of a PEM), when the request asks for encryption. */
  resultEncryptionPublicKey?: string;
};

export type OpenedSession = {
  sealed: SealedBox;
  /** What was released, by name (never values), for the log. */
  released: string[];
};

/**
 * Checks a session request against the challenge store, the chain, the attestation and the grant,
 * in that order, and seals the task's secrets to the attested enclave key (the box's context is the
 * task id). Any failed check throws its typed refusal; the nonce is spent even then.
 *
 * @example
 * const { sealed } = await openTeeSession({ tee, store, logger }, request);
 */
export async function openTeeSession(
  { tee, store, logger }: { tee: TeeServices; store: SecretStore; logger: SmsLogger },
  request: SessionRequest,
): Promise<OpenedSession> {
  const { taskId, workerAddress, enclaveChallenge } = request;
  // 1. Fresh: the nonce was issued here for this task, unexpired, unused — and now it is used.
  await tee.challenges.consume(request.nonce, taskId);

  // 2. The task runs.
  const task = await tee.chain.task(taskId);
  if (task.status !== 'ACTIVE') throw new TaskNotActiveError(taskId, task.status);
  const deal = await tee.chain.deal(task.dealId);
  if (!isTeeTag(deal.tag)) throw new TaskNotTeeError(taskId, deal.tag);

  // 3. The workerpool sent this worker, with this enclave.
  let signer: Address;
  try {
    signer = await recoverWorkerAuthorizationSigner({ worker: workerAddress, taskId, enclaveChallenge }, request.authorization);
  } catch {
    throw new InvalidTeeRequestError(
      'the authorization is not a valid secp256k1 signature',
      "Send the workerpool owner's personal_sign signature, 65 bytes as 0x-prefixed hex.",
    );
  }
  if (!isAddressEqual(signer, deal.workerpool.owner))
    throw new WorkerNotAuthorizedError(workerAddress, enclaveChallenge, signer, deal.workerpool.owner);

  // 4. The enclave is genuine and bound to this task and this enclave challenge.
  const verified = await tee.verifier.verify(request.quote, { taskId, enclaveAddress: enclaveChallenge });

  // 5. It runs the deal's app.
  const checksum = await tee.chain.appChecksum(deal.app.pointer);
  if (verified.measurement.toLowerCase() !== checksum.toLowerCase())
    throw new MeasurementMismatchError(verified.measurement, deal.app.pointer.toLowerCase(), checksum);

  // 6. The deal's dataset is one whose key is here.
  const dataset = isAddressEqual(deal.dataset.pointer, zeroAddress) ? undefined : (deal.dataset.pointer.toLowerCase() as Address);
  const datasetKey = dataset === undefined ? undefined : await store.read(secretIdentity('web3', dataset));
  if (dataset !== undefined && datasetKey === undefined) throw new DatasetKeyMissingError(dataset);

  // 7. The grant the deal used has not expired.
  if (dataset !== undefined) {
    const orderHash = await tee.chain.datasetOrderHash(deal);
    const expiry = await tee.grants.expiryOf(orderHash);
    if (!expiry.enforced)
      logger.info(
        `sms: grant expiry is not enforced for task ${taskId} (dataset order ${orderHash}): no marketplace API is configured (SMS_API_URL)`,
      );
    else if (!expiry.published)
      logger.info(`sms: dataset order ${orderHash} of task ${taskId} is not published on the marketplace: it has no expiry`);
    else if (expiry.expiresAt && expiry.expiresAt.getTime() <= Date.now())
      throw new GrantExpiredError(dataset, orderHash, expiry.expiresAt);
  }

  // Only now the secrets the deal asks for.
  const params = readDealSecretParams(deal.dealId, deal.params);
  const released: string[] = [];
  const bundle: SessionBundle = { requesterSecrets: {} };
  if (dataset !== undefined && datasetKey !== undefined) {
    bundle.datasetKey = datasetKey;
    released.push(describeSecret(secretIdentity('web3', dataset)));
  }
  for (const [index, key] of Object.entries(params.requesterSecrets)) {
    const identity = secretIdentity('requester', deal.requester, key);
    const value = await store.read(identity);
    if (value === undefined) {
      throw new SessionSecretMissingError(
        describeSecret(identity),
        `The requester pushes it with POST /requesters/${deal.requester}/secrets/${key}, or drops it from iexec_secrets.`,
      );
    }
    bundle.requesterSecrets[index] = value;
    released.push(describeSecret(identity));
  }
  const appIdentity = secretIdentity('app', deal.app.pointer);
  const appDeveloperSecret = await store.read(appIdentity);
  if (appDeveloperSecret !== undefined) {
    bundle.appDeveloperSecret = appDeveloperSecret;
    released.push(describeSecret(appIdentity));
  }
  if (params.resultEncryption) {
    const identity = secretIdentity('web2', deal.beneficiary, RESULT_ENCRYPTION_PUBLIC_KEY_NAME);
    const key = await store.read(identity);
    if (key === undefined) {
      throw new SessionSecretMissingError(
        `${describeSecret(identity)} (the request asks for an encrypted result)`,
        `The beneficiary pushes its RSA public key with POST /secrets/web2?ownerAddress=${deal.beneficiary}&secretName=${RESULT_ENCRYPTION_PUBLIC_KEY_NAME}.`,
      );
    }
    bundle.resultEncryptionPublicKey = key;
    released.push(describeSecret(identity));
  }
  return { sealed: sealToEnclave(verified.encryptionPublicKey, JSON.stringify(bundle), taskId), released };
}
