import { BaseError } from '@confidant/errors';
import { InvalidInputError, SignInRequiredError } from '@confidant/errors/api';
import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import type { Context, Session } from './context.js';
import { toTRPCError } from './errors.js';

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // Invalid input reads as "field: what is wrong", not as a JSON dump of the validator's issues.
    const typed = error.cause instanceof ZodError ? InvalidInputError.fromIssues(error.cause.issues) : error.cause;
    const known = typed instanceof BaseError ? typed : undefined;
    return {
      ...shape,
      message: known && typed !== error.cause ? known.shortMessage : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        // With the name and the fields, clients rebuild the class that was thrown (see `apiErrorRevivers`).
        errorName: known?.name,
        fields: known?.fields,
        hints: known?.hints ?? [],
      },
    };
  },
});

/** Typed errors thrown by procedures become the matching tRPC error here, and nowhere else. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR' && result.error.cause instanceof BaseError) {
    throw toTRPCError(result.error.cause);
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors);

/** A procedure that needs a signed-in account; `ctx.account` is it. */
export const authedProcedure = publicProcedure.use(async ({ ctx, path, next }) => {
  const session: Session | null = await ctx.session();
  if (!session) throw toTRPCError(new SignInRequiredError(path));
  return next({ ctx: { ...ctx, account: session.address } });
});
