import { z } from 'zod';

// The market API's query strings and bodies, as iExec's SDK sends them (api-utils.js): every value
// is text, addresses EIP-55 or `any`, tags lowercase bytes32, booleans `true`/`false`.

export type MarketKind = 'app' | 'dataset' | 'workerpool' | 'request';

/** The deepest row a list may start at: deeper pages are refused (narrow the filters instead). */
export const MAX_PAGE_DEPTH = 100_000;

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'expected an address (0x and 40 hex digits)')
  .transform((value) => value.toLowerCase());
const addressOrAny = z.union([z.literal('any'), address]);
const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'expected a bytes32 (0x and 64 hex digits)')
  .transform((value) => value.toLowerCase());
const flag = z
  .enum(['true', 'false'], { message: 'expected true or false' })
  .optional()
  .transform((value) => value === 'true');
const uint = z
  .string()
  .regex(/^\d{1,78}$/, 'expected a non-negative integer')
  .transform((value) => BigInt(value));
const positive = uint.refine((value) => value > 0n, 'expected a positive integer');
const pageIndex = z.coerce.number({ message: 'expected an integer' }).int().min(0).default(0);
const pageSize = z.coerce.number({ message: 'expected an integer' }).int().min(10).max(1000).default(20);

export const chainIdSchema = z.object({
  chainId: z
    .string()
    .regex(/^\d{1,12}$/, 'expected a chain id')
    .transform(Number),
});

/**
 * The query of the four lists (each uses the parameters of its kind); unknown parameters are
 * ignored, as iExec's market API does.
 */
export const listQuerySchema = z.object({
  ...chainIdSchema.shape,
  minTag: bytes32.optional(),
  maxTag: bytes32.optional(),
  minVolume: positive.optional(),
  pageIndex,
  pageSize,
  app: addressOrAny.optional(),
  dataset: addressOrAny.optional(),
  workerpool: addressOrAny.optional(),
  requester: addressOrAny.optional(),
  beneficiary: addressOrAny.optional(),
  isAppStrict: flag,
  isDatasetStrict: flag,
  isWorkerpoolStrict: flag,
  isRequesterStrict: flag,
  bulkOnly: flag,
  appOwner: address.optional(),
  datasetOwner: address.optional(),
  workerpoolOwner: address.optional(),
  category: uint.optional(),
  minTrust: uint.optional(),
  maxTrust: uint.optional(),
});
export type ListQuery = z.output<typeof listQuerySchema>;

/**
 * `GET /deals` (iexec execution/deal.js): the deals of a requester (optionally of one app, dataset,
 * workerpool or category), or the deals made with an order (its hash). Unknown parameters are ignored.
 */
export const dealsQuerySchema = z
  .object({
    ...chainIdSchema.shape,
    pageIndex,
    pageSize,
    requester: address.optional(),
    app: address.optional(),
    dataset: address.optional(),
    workerpool: address.optional(),
    category: uint.optional(),
    apporderHash: bytes32.optional(),
    datasetorderHash: bytes32.optional(),
    workerpoolorderHash: bytes32.optional(),
    requestorderHash: bytes32.optional(),
  })
  .refine(
    (q) => Boolean(q.requester ?? q.apporderHash ?? q.datasetorderHash ?? q.workerpoolorderHash ?? q.requestorderHash),
    'requester or an order hash (apporderHash, datasetorderHash, workerpoolorderHash or requestorderHash) is required',
  );
export type DealsQuery = z.output<typeof dealsQuerySchema>;

export const challengeQuerySchema = z.object({ ...chainIdSchema.shape, address });

/** `authorization: <EIP-712 digest>_<signature>_<address>` (iexec api-utils.js getAuthorization). */
export const authorizationSchema = z
  .string({ message: 'missing authorization header' })
  .regex(/^0x[0-9a-fA-F]{64}_0x[0-9a-fA-F]{130}_0x[0-9a-fA-F]{40}$/, 'expected <digest>_<signature>_<address>')
  .transform((value) => {
    const [digest, signature, signer] = value.split('_') as [string, string, string];
    return { digest: digest.toLowerCase() as `0x${string}`, signature: signature as `0x${string}`, address: signer.toLowerCase() };
  });

export const orderHashSchema = bytes32;

/** `POST /<kind>orders` body: the signed order (checked in full by the orderbook's own schema). */
export const publishBodySchema = z.object({ order: z.record(z.string(), z.unknown()) });

/** `PUT /<kind>orders` body; the resource field is `app`, `dataset`, `workerpool` or `requester`. */
export const unpublishBodySchema = z.discriminatedUnion('target', [
  z.object({ target: z.literal('unpublish_orderHash'), orderHash: bytes32 }),
  z.object({
    target: z.enum(['unpublish_last', 'unpublish_all']),
    app: address.optional(),
    dataset: address.optional(),
    workerpool: address.optional(),
    requester: address.optional(),
  }),
]);
export type UnpublishBody = z.output<typeof unpublishBodySchema>;
