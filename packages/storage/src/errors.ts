import { BaseError } from '@confidant/errors';

/** A request to the local IPFS storage is malformed: bad query, body or CID. */
export class StorageRequestError extends BaseError {
  override name = 'StorageRequestError';
  constructor(reason: string, hint: string) {
    super(reason, { hints: [hint], kind: 'invalid-input' });
  }
}

/** The local IPFS storage does not hold this content (it never fetches from a network). */
export class ContentNotFoundError extends BaseError {
  override name = 'ContentNotFoundError';
  constructor(cid: string, cause?: unknown) {
    super(`${cid} is not in the local IPFS storage`, {
      hints: ['The devnet storage only serves what was added to it with POST /api/v0/add; it never asks the IPFS network.'],
      kind: 'not-found',
      cause,
    });
  }
}

/** The local IPFS storage could not open its blockstore or listen on its port. */
export class StorageStartError extends BaseError {
  override name = 'StorageStartError';
  constructor(reason: string, cause?: unknown) {
    super(`the local IPFS storage did not start: ${reason}`, {
      hints: [
        'If a port was given (CONFIDANT_STORAGE_PORT, default 5001 like kubo), stop the process that listens on it or choose another port, 0 for a free one.',
      ],
      kind: 'unavailable',
      cause,
    });
  }
}

/** The local IPFS storage has no such route: the kubo RPC's add and the gateway's /ipfs/<cid> only. */
export class StorageRouteError extends BaseError {
  override name = 'StorageRouteError';
  constructor(method: string, path: string) {
    super(`the devnet storage has no ${method} ${path.slice(0, 200)}`, {
      hints: ['It serves POST /api/v0/add (kubo RPC) and GET or HEAD /ipfs/<cid> (gateway).'],
      kind: 'not-found',
    });
  }
}

/** The route exists, but not for this HTTP method (the kubo RPC takes POST only). */
export class MethodNotAllowedError extends BaseError {
  override name = 'MethodNotAllowedError';
  constructor(
    method: string,
    path: string,
    readonly allowed: readonly string[],
  ) {
    super(`${path} does not take ${method}`, { hints: [`Use ${allowed.join(' or ')}.`], kind: 'invalid-input' });
  }
}
