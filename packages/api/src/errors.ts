import { BaseError } from '@confidant/errors';
import { httpStatusOf } from '@confidant/server';
import { TRPCError } from '@trpc/server';

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
