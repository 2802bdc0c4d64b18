import type { z } from 'zod';
import type { BaseError } from './BaseError.js';

/** What the receiving side adds to an error it rebuilds: where the call went, and the failure it came as. */
export type RevivedErrorOptions = {
  /** e.g. `API call apps.get`; shown as the error's details. */
  details?: string | undefined;
  /** The transport's own error (e.g. the SDK's `ApiRequestError`, with the HTTP status). */
  cause?: unknown;
};

/** Rebuilds one error class from the fields it was sent with; undefined when they do not fit its schema. */
export type ErrorReviver = (fields: unknown, options: RevivedErrorOptions) => BaseError | undefined;

/**
 * A reviver for an error class: its fields are checked against `schema` before the class is built,
 * so a peer of another version falls back to a generic error instead of a half-filled typed one.
 *
 * @example
 * const notIndexed = reviver(z.object({ what: z.string(), id: z.string() }), (f, o) => new NotIndexedError(f.what, f.id, o));
 */
export function reviver<schema extends z.ZodType>(
  schema: schema,
  make: (fields: z.output<schema>, options: RevivedErrorOptions) => BaseError,
): ErrorReviver {
  return (fields, options) => {
    const parsed = schema.safeParse(fields);
    return parsed.success ? make(parsed.data, options) : undefined;
  };
}

/**
 * The error named `name` rebuilt from `fields` by the matching reviver, or undefined when the name is
 * not one the receiver knows or the fields do not fit.
 *
 * @example
 * const error = reviveError(apiErrorRevivers, 'NotIndexedError', { what: 'app', id: '0x…' }, { details: 'API call apps.get' });
 */
export function reviveError(
  revivers: Readonly<Record<string, ErrorReviver>>,
  name: unknown,
  fields: unknown,
  options: RevivedErrorOptions,
): BaseError | undefined {
  if (typeof name !== 'string' || !Object.hasOwn(revivers, name)) return undefined;
  return revivers[name]?.(fields, options);
}
