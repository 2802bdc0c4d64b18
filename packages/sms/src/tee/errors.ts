import { BaseError } from '@confidant/errors';

// The release side's refusals. Messages name tasks, deals, assets, accounts and measurements — public
// facts on chain — never a secret value, a nonce's owner's key or a signature.

/** A TEE challenge or session request is malformed (path, JSON body, addresses, signature shape). */
export class InvalidTeeRequestError extends BaseError {
  override name = 'InvalidTeeRequestError';
  constructor(reason: string, hint: string) {
    super(reason, { hints: [hint], kind: 'invalid-input' });
  }
}

/** The session request body is larger than the SMS reads. */
export class TeeRequestTooLargeError extends BaseError {
  override name = 'TeeRequestTooLargeError';
  constructor(limit: number) {
    super(`the session request is larger than ${limit} bytes`, {
      hints: ['Send only the fields of a session request, with the quote as the enclave produced it.'],
      kind: 'invalid-input',
    });
  }
}

/** The quote's nonce was never issued by this SMS, or was issued for another task. */
export class UnknownTeeChallengeError extends BaseError {
  override name = 'UnknownTeeChallengeError';
  constructor(taskId: string, reason: 'unknown' | 'other-task') {
    super(
      reason === 'unknown'
        ? `the quote's nonce was not issued by this SMS (or was forgotten after it expired), so the quote for task ${taskId} may be a replay`
        : `the quote's nonce was issued for another task, not for task ${taskId}`,
      { hints: [`Ask POST /tee/challenges/${taskId} for a nonce, and have the enclave quote it.`], kind: 'forbidden' },
    );
  }
}

/** The quote's nonce is past its expiry. */
export class TeeChallengeExpiredError extends BaseError {
  override name = 'TeeChallengeExpiredError';
  constructor(taskId: string, expiredAt: Date) {
    super(`the quote's nonce for task ${taskId} expired at ${expiredAt.toISOString()}`, {
      hints: [`Ask POST /tee/challenges/${taskId} for a fresh nonce and ask for the session right after the enclave quotes it.`],
      kind: 'forbidden',
    });
  }
}

/** The quote's nonce already opened a session: a session is single use. */
export class TeeChallengeUsedError extends BaseError {
  override name = 'TeeChallengeUsedError';
  constructor(taskId: string) {
    super(`the quote's nonce for task ${taskId} was already used by a session; a session is given once per nonce`, {
      hints: ['A worker that lost its session must start a new enclave: new challenge, new quote.'],
      kind: 'conflict',
    });
  }
}

/** The task was never initialized on chain. */
export class UnknownTaskError extends BaseError {
  override name = 'UnknownTaskError';
  constructor(taskId: string) {
    super(`task ${taskId} does not exist on this network (never initialized)`, {
      hints: ['Initialize the task on chain (initialize(dealId, index)) before asking for a challenge or a session.'],
      kind: 'not-found',
    });
  }
}

/** The task exists but is not ACTIVE: completed, failed, or revealing. */
export class TaskNotActiveError extends BaseError {
  override name = 'TaskNotActiveError';
  constructor(taskId: string, status: string) {
    super(`task ${taskId} is ${status}, not ACTIVE: no secret is released for it`, {
      hints: ['Secrets are released only while the task runs; a finished task needs no session.'],
      kind: 'conflict',
    });
  }
}

/** The authorization is not the deal's workerpool owner's signature for this worker, task and enclave. */
export class WorkerNotAuthorizedError extends BaseError {
  override name = 'WorkerNotAuthorizedError';
  constructor(worker: string, enclaveChallenge: string, signer: string, owner: string) {
    super(
      `worker ${worker} with enclave ${enclaveChallenge} is not authorized: the authorization recovers to ${signer}, but the deal's workerpool owner is ${owner}`,
      {
        details: 'An authorization signed for another worker, task or enclave challenge also recovers to an unexpected account.',
        hints: [
          `Have ${owner} sign keccak256(abi.encodePacked(worker, taskId, enclaveChallenge)) with personal_sign for exactly this worker and enclave.`,
        ],
        kind: 'forbidden',
      },
    );
  }
}

/** The enclave runs other code than the deal's app. */
export class MeasurementMismatchError extends BaseError {
  override name = 'MeasurementMismatchError';
  constructor(measurement: string, app: string, checksum: string) {
    super(`the enclave's measurement ${measurement} is not app ${app}'s on-chain checksum ${checksum}`, {
      hints: ['Run the exact app bundle registered on chain; a changed bundle needs a new app (or a new checksum).'],
      kind: 'forbidden',
    });
  }
}

/** The deal uses a dataset whose key this SMS does not hold. */
export class DatasetKeyMissingError extends BaseError {
  override name = 'DatasetKeyMissingError';
  constructor(dataset: string) {
    super(`the deal's dataset ${dataset} has no key stored in this SMS`, {
      hints: [
        'The dataset owner pushes the key with POST /secrets/web3?secretAddress=<dataset>; check that the worker uses the SMS the data was protected with.',
      ],
      kind: 'not-found',
    });
  }
}

/** A secret the deal asks for (a requester secret, the result encryption key) is not stored. */
export class SessionSecretMissingError extends BaseError {
  override name = 'SessionSecretMissingError';
  constructor(what: string, hint: string) {
    super(`the deal needs ${what}, and this SMS does not hold it`, { hints: [hint], kind: 'not-found' });
  }
}

/** The deal's request params cannot be read (iexec_secrets of the wrong shape). */
export class InvalidDealParamsError extends BaseError {
  override name = 'InvalidDealParamsError';
  constructor(dealId: string, reason: string) {
    super(`the params of deal ${dealId} are not usable: ${reason}`, {
      hints: ['Request params are JSON; iexec_secrets maps an index ("1", "2", …) to a requester secret key.'],
      kind: 'conflict',
    });
  }
}

/** The dataset order (grant) the deal consumed has expired on the marketplace. */
export class GrantExpiredError extends BaseError {
  override name = 'GrantExpiredError';
  constructor(dataset: string, orderHash: string, expiresAt: Date) {
    super(`the grant of dataset ${dataset} used by this deal (order ${orderHash}) expired at ${expiresAt.toISOString()}`, {
      hints: ['The data owner can grant access again; a new deal is needed.'],
      kind: 'forbidden',
    });
  }
}

/** The marketplace API could not say whether the grant expired: refused rather than released. */
export class GrantStatusUnavailableError extends BaseError {
  override name = 'GrantStatusUnavailableError';
  constructor(orderHash: string, reason: string, cause?: unknown) {
    super(`the SMS could not check whether the grant (dataset order ${orderHash}) has expired: ${reason}`, {
      hints: ['Retry in a moment; if it persists, check the SMS API URL (SMS_API_URL) and that the marketplace API runs.'],
      cause,
      kind: 'unavailable',
    });
  }
}

/** The deal's OrdersMatched event could not be found, so its dataset order is unknown. */
export class DealEventNotFoundError extends BaseError {
  override name = 'DealEventNotFoundError';
  constructor(dealId: string) {
    super(`the OrdersMatched event of deal ${dealId} was not found on chain, so its grant cannot be checked`, {
      hints: ["Check that the SMS RPC node serves logs for the deal's block (an archive or a full node, not a pruned one)."],
      kind: 'unavailable',
    });
  }
}

/** The task's deal is not a TEE deal: its secrets are never released to an enclave session. */
export class TaskNotTeeError extends BaseError {
  override name = 'TaskNotTeeError';
  constructor(taskId: string, tag: string) {
    super(`task ${taskId} belongs to a deal without the TEE tag (${tag}): the SMS releases secrets only to TEE tasks`, {
      hints: ['Request the task with a TEE tag (e.g. TDX) on the app, dataset and request orders.'],
      kind: 'conflict',
    });
  }
}
