import { BaseError } from '@confidant/errors';
import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import type { Context, Session } from './context.js';
import { SignInRequiredError, toTRPCError } from './errors.js';

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const zod = cause instanceof ZodError ? cause : undefined;
    return {
      ...shape,
      // Invalid input reads as "field: what is wrong", not as a JSON dump of the validator's issues.
      message: zod ? zod.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ') : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        errorName: cause instanceof BaseError ? cause.name : zod ? 'InvalidInputError' : undefined,
        hints: cause instanceof BaseError ? cause.hints : zod ? ['Fix the fields named in the message.'] : [],
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
