import type { BaseError } from '@confidant/errors';
import { lowercaseAddressSchema, lowercaseBytes32Schema } from '@confidant/contracts/schemas';
import { z } from 'zod';
import { InvalidSecretRequestError } from './errors.js';

// Every value a request brings (query, path, header, body) passes one of these schemas first.

export const addressSchema = lowercaseAddressSchema;

/** A bytes32 (task id, nonce), lowercased. */
export const bytes32Schema = lowercaseBytes32Schema;

/** iExec's rule for requester secret keys. */
export const requesterSecretKeySchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** Web2 secret names: any printable text, bounded so a name cannot be used to store data. */
export const web2SecretNameSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^\p{Cc}]+$/u);

/** `0x` + 65 bytes (r, s, v) as personal_sign returns it; the 0x is optional, as in iExec. */
export const signatureSchema = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{130}$/)
  .transform((value) => (value.startsWith('0x') ? value : `0x${value}`) as `0x${string}`);

/** Standard base64 with padding, as a dataset key or a PEM travels. */
export const base64Schema = z
  .string()
  .min(1)
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);

/**
 * Parses a request value with a schema, or throws a 400 naming the value and how to fix it.
 *
 * @example
 * const dataset = parseInput(addressSchema, url.searchParams.get('secretAddress'), 'secretAddress', 'Pass the dataset address.');
 */
export function parseInput<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
  hint: string,
  options: { quote?: boolean; refusal?: (reason: string, hint: string) => BaseError } = {},
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const refuse = options.refusal ?? ((reason: string, fix: string) => new InvalidSecretRequestError(reason, fix));
  if (value === undefined || value === null) throw refuse(`${what} is missing`, hint);
  if (typeof value !== 'string') throw refuse(`${what} is not valid`, hint);
  // Credentials are never echoed back, even malformed ones.
  const shown = options.quote === false ? '' : ` ("${value.length > 80 ? `${value.slice(0, 80)}…` : value}")`;
  throw refuse(`${what} is not valid${shown}`, hint);
}
