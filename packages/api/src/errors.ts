import { BaseError, type BaseErrorKind } from '@confidant/errors';
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

/** The input is well-formed but its values cannot be used together. */
export class InvalidRequestError extends BaseError {
  override name = 'InvalidRequestError';
  constructor(reason: string, hint: string) {
    super(reason, { hints: [hint], kind: 'invalid-input' });
  }
}

const codes: Record<BaseErrorKind, TRPCError['code']> = {
  'invalid-input': 'BAD_REQUEST',
  unauthenticated: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  'not-found': 'NOT_FOUND',
  conflict: 'CONFLICT',
  unavailable: 'SERVICE_UNAVAILABLE',
  internal: 'INTERNAL_SERVER_ERROR',
};

/** The one place where the platform's typed errors become tRPC errors (and so HTTP statuses). */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  if (error instanceof BaseError) return new TRPCError({ code: codes[error.kind], message: error.shortMessage, cause: error });
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'internal error', cause: error instanceof Error ? error : undefined });
}
