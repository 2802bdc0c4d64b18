import { BaseError } from '@confidant/errors';
import { httpStatusOf } from '@confidant/server';
import { TRPCError } from '@trpc/server';

/** The request needs a signed-in session (Sign-In with Ethereum). */
export class SignInRequiredError extends BaseError {
  override name = 'SignInRequiredError';
  constructor(action: string) {
    super(`${action} needs you to sign in`, {
      hints: ['Sign in with Ethereum: get a nonce from auth.nonce, sign the SIWE message, send it to auth.verify.'],
      kind: 'unauthenticated',
    });
  }
}

/** The SIWE message or its signature is not acceptable. */
export class SignInRefusedError extends BaseError {
  override name = 'SignInRefusedError';
  constructor(reason: string) {
    super(`sign-in refused: ${reason}`, {
      hints: ['Ask auth.nonce for a fresh nonce and sign a new message with your account.'],
      kind: 'unauthenticated',
    });
  }
}

/** The signed-in account is not the on-chain owner of the asset it edits. */
export class NotOwnerError extends BaseError {
  override name = 'NotOwnerError';
  constructor(what: string, asset: string, owner: string, signedIn: string) {
    super(`you (${signedIn}) are not the owner of ${what} ${asset}; its owner is ${owner}`, {
      hints: [`Sign in with ${owner}.`],
      kind: 'forbidden',
    });
  }
}

/** The marketplace does not know this asset, order or task (yet). */
export class NotIndexedError extends BaseError {
  override name = 'NotIndexedError';
  constructor(what: string, id: string) {
    super(`${what} ${id} is not known to the marketplace`, {
      hints: ['Check the id and the network. Something created moments ago appears once the indexer reaches its block.'],
      kind: 'not-found',
    });
  }
}

/** An order's signature is not its asset owner's (or the requester's) for this network's PoCo. */
export class OrderRefusedError extends BaseError {
  override name = 'OrderRefusedError';
  constructor(reason: string, hint: string) {
    super(`order refused: ${reason}`, { hints: [hint], kind: 'forbidden' });
  }
}

/** The indexer did not catch up with a block in time. */
export class IndexerBehindError extends BaseError {
  override name = 'IndexerBehindError';
  constructor(block: bigint, timeoutMs: number) {
    super(`the indexer did not reach block ${block} within ${timeoutMs} ms`, {
      hints: ['Check that the chain node answers and see the indexer errors in the API log; retry once it has caught up.'],
      kind: 'unavailable',
    });
  }
}

/** The input is well-formed but its values cannot be used together. */
export class InvalidRequestError extends BaseError {
  override name = 'InvalidRequestError';
  constructor(reason: string, hint: string) {
    super(reason, { hints: [hint], kind: 'invalid-input' });
  }
}

// The tRPC code that tRPC answers with each status of the server kit's kind-to-status table.
const codeOfStatus: Record<number, TRPCError['code']> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * The one place where the platform's typed errors become tRPC errors: the status of their kind in
 * the server kit's table (the same as every other service's), as the tRPC code that answers it.
 *
 * @example
 * throw toTRPCError(new NotIndexedError('app', address)); // NOT_FOUND, HTTP 404
 */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  if (error instanceof BaseError)
    return new TRPCError({ code: codeOfStatus[httpStatusOf(error)] ?? 'INTERNAL_SERVER_ERROR', message: error.shortMessage, cause: error });
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'internal error', cause: error instanceof Error ? error : undefined });
}
