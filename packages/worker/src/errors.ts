import { DatabaseUnavailableError } from '@confidant/db';
import { BaseError, type BaseErrorKind } from '@confidant/errors';

// Messages name what failed and what to do; never a key, a signature or a task's data.

/** The worker's settings are invalid. */
export class InvalidWorkerConfigError extends BaseError {
  override name = 'InvalidWorkerConfigError';
  constructor(reason: string, hint: string) {
    super(reason, { hints: [hint], kind: 'invalid-input' });
  }
}

/** The worker database could not be opened or migrated. */
export class WorkerDatabaseUnavailableError extends DatabaseUnavailableError {
  override name = 'WorkerDatabaseUnavailableError';
  constructor(target: string, cause: unknown) {
    super(target, cause, 'worker');
  }
}

/** The worker was stopped while it waited for something (an enclave run, a poll). */
export class WorkerStoppedError extends BaseError {
  override name = 'WorkerStoppedError';
  constructor() {
    super('the worker is stopping', {
      hints: ['Start it again on the same data directory: unfinished tasks are recovered.'],
      kind: 'unavailable',
    });
  }
}

/**
 * An app cannot run here: it is not deployed as an OCI image (its multiaddr is not an image
 * reference, e.g. an old IPFS bundle), or its image could not be pulled intact by the digest it is
 * registered with. The message names the app and the image and keeps the reason (the registry's
 * answer, the blob whose digest does not match…); the oci error is the cause.
 */
export class AppImageError extends BaseError {
  override name = 'AppImageError';
  readonly app: string;
  /** The app's image reference, when it has one. */
  readonly reference: string | undefined;
  constructor(
    app: string,
    reason: string,
    hints: readonly string[],
    options: { reference?: string | undefined; cause?: unknown; kind?: BaseErrorKind | undefined } = {},
  ) {
    const subject = options.reference === undefined ? `the app ${app}` : `the image ${options.reference} of app ${app}`;
    super(`${subject} ${reason}`, {
      hints,
      cause: options.cause,
      kind: options.kind ?? 'invalid-input',
      fields: { app, reference: options.reference, reason },
    });
    this.app = app;
    this.reference = options.reference;
  }
}

/** The SMS refused or failed a request of the worker. */
export class SmsRequestError extends BaseError {
  override name = 'SmsRequestError';
  readonly status: number | undefined;
  constructor(
    what: string,
    reason: string,
    options: { status?: number | undefined; hints?: readonly string[] | undefined; cause?: unknown } = {},
  ) {
    super(`the SMS refused ${what}: ${reason}`, {
      hints:
        options.hints && options.hints.length > 0
          ? options.hints
          : ['Check the SMS URL and its log; the task can be retried while its deadline allows.'],
      cause: options.cause,
      kind: options.status !== undefined && options.status < 500 ? 'forbidden' : 'unavailable',
    });
    this.status = options.status;
  }
}

/** The marketplace API refused or failed to take the workerpool's order. */
export class OrderPublicationError extends BaseError {
  override name = 'OrderPublicationError';
  constructor(reason: string, cause?: unknown) {
    super(`the workerpool order could not be published: ${reason}`, {
      hints: ['Check the API URL; the worker tries again at its next orderbook check.'],
      cause,
      kind: 'unavailable',
    });
  }
}

/** A logs request carries no valid signature, or an expired one. */
export class LogsUnauthenticatedError extends BaseError {
  override name = 'LogsUnauthenticatedError';
  constructor(reason: string) {
    super(`the logs request is not authenticated: ${reason}`, {
      hints: [
        'Send `authorization: <personal_sign of keccak256(abi.encodePacked("CONFIDANT_TASK_LOGS", taskId, uint64 expiresAt))>` and `x-expires-at: <unix seconds, at most 10 minutes ahead>` (see signTaskLogsRequest).',
      ],
      kind: 'unauthenticated',
    });
  }
}

/** The logs request is signed by someone other than the task's requester. */
export class LogsForbiddenError extends BaseError {
  override name = 'LogsForbiddenError';
  constructor(signer: string) {
    super(`the logs of a task are served to its requester only, and the request is signed by ${signer}`, {
      hints: ["Sign with the account that requested the task (the deal's requester)."],
      kind: 'forbidden',
    });
  }
}

/** This worker has no such task. */
export class TaskUnknownError extends BaseError {
  override name = 'TaskUnknownError';
  constructor(taskId: string) {
    super(`this worker has no task ${taskId}`, {
      hints: ["Ask the worker of the deal's workerpool that ran it; check the task id."],
      kind: 'not-found',
    });
  }
}

/** No route has this path, or not with this method. */
export class RouteNotFoundError extends BaseError {
  override name = 'RouteNotFoundError';
  constructor(method: string, path: string) {
    super(`no such endpoint: ${method} ${path}`, {
      hints: ['The worker serves GET /health and GET /tasks/{taskId}/logs.'],
      kind: 'not-found',
    });
  }
}
