import type { DataSchema } from '@confidant/protected-data';
import { hexBytesSchema, lowercaseAddressSchema, lowercaseBytes32Schema, uintSchema } from '@confidant/contracts/schemas';
import { z } from 'zod';

/** An address, accepted in any casing, stored and returned lowercase. */
export const addressSchema = lowercaseAddressSchema;
/** A bytes32 (order hash, task id), accepted in any casing, returned lowercase. */
export const bytes32Schema = lowercaseBytes32Schema;
export const hexSchema = hexBytesSchema;
export { uintSchema };

export const paginationSchema = z.object({
  limit: z.number().int().min(1).max(100).default(20),
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor: z.number().int().min(0).max(100_000).optional(),
});

/** A protected data schema: nested keys to type names (`string`, `f64`, `bool`, `i128`, MIME types). */
export const dataSchemaSchema: z.ZodType<DataSchema> = z.lazy(() =>
  z.record(z.string(), z.union([z.string().min(1).max(100), dataSchemaSchema])).superRefine((value, ctx) => {
    const keys = Object.keys(value);
    if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'a schema has at least one key' });
    for (const key of keys) {
      if (!/^[a-zA-Z0-9\-_]+$/.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'keys use letters, digits, - and _' });
    }
  }),
);

const orderBase = { volume: uintSchema, tag: bytes32Schema, salt: bytes32Schema, sign: hexSchema };

export const appOrderSchema = z.object({
  app: addressSchema,
  appprice: uintSchema,
  datasetrestrict: addressSchema,
  workerpoolrestrict: addressSchema,
  requesterrestrict: addressSchema,
  ...orderBase,
});
export const datasetOrderSchema = z.object({
  dataset: addressSchema,
  datasetprice: uintSchema,
  apprestrict: addressSchema,
  workerpoolrestrict: addressSchema,
  requesterrestrict: addressSchema,
  ...orderBase,
});
export const workerpoolOrderSchema = z.object({
  workerpool: addressSchema,
  workerpoolprice: uintSchema,
  category: uintSchema,
  trust: uintSchema,
  apprestrict: addressSchema,
  datasetrestrict: addressSchema,
  requesterrestrict: addressSchema,
  ...orderBase,
});
export const requestOrderSchema = z.object({
  app: addressSchema,
  appmaxprice: uintSchema,
  dataset: addressSchema,
  datasetmaxprice: uintSchema,
  workerpool: addressSchema,
  workerpoolmaxprice: uintSchema,
  requester: addressSchema,
  category: uintSchema,
  trust: uintSchema,
  beneficiary: addressSchema,
  callback: addressSchema,
  params: z.string().max(65_536),
  ...orderBase,
});

/** Any of the four signed orders, tagged by kind. */
export const signedOrderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('app'), order: appOrderSchema }),
  z.object({ kind: z.literal('dataset'), order: datasetOrderSchema }),
  z.object({ kind: z.literal('workerpool'), order: workerpoolOrderSchema }),
  z.object({ kind: z.literal('request'), order: requestOrderSchema }),
]);
