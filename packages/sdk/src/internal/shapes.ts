import type { DataSchema } from '@confidant/protected-data';
import { type Address, getAddress, type Hex } from 'viem';
import { z } from 'zod';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/).transform((value) => getAddress(value));
const hex = z.string().regex(/^0x[0-9a-fA-F]*$/).transform((value) => value as Hex);
const bigintLike = z.union([z.bigint(), z.string().regex(/^\d+$/), z.number().int()]).transform((value) => BigInt(value));
const schemaShape: z.ZodType<DataSchema> = z.lazy(() => z.record(z.string(), z.union([z.string(), schemaShape])));

/** A protected data as the SDK returns it. */
export type ProtectedData = {
  address: Address;
  name: string;
  owner: Address;
  /** `null` when its owner has not registered one with the marketplace. */
  schema: DataSchema | null;
  multiaddr: string;
  checksum: Hex;
  createdAt: Date;
  transactionHash: Hex;
};

export const protectedDataShape = z
  .object({
    address,
    owner: address,
    name: z.string(),
    multiaddr: z.string(),
    checksum: hex,
    schema: schemaShape.nullable(),
    createdTx: hex,
    createdAt: z.coerce.date(),
  })
  .transform(({ createdTx, ...row }): ProtectedData => ({ ...row, transactionHash: createdTx }));

export const pageShape = <item extends z.ZodType>(item: item) => z.object({ items: z.array(item), nextCursor: z.number().nullable().optional() });

/** A signed DatasetOrder as the orderbook stores it. */
export const datasetOrderShape = z.object({
  dataset: address,
  datasetprice: bigintLike,
  volume: bigintLike,
  tag: hex,
  apprestrict: address,
  workerpoolrestrict: address,
  requesterrestrict: address,
  salt: hex,
  sign: hex,
});

/** An access granted to a protected data: a signed dataset order in the orderbook. */
export type GrantedAccess = {
  /** The order's hash: what `revokeOneAccess` takes. */
  hash: Hex;
  protectedData: Address;
  /** The app allowed to use the data (`0x000…0`: any app). */
  app: Address;
  /** The user allowed to run it (`0x000…0`: anyone). */
  user: Address;
  workerpool: Address;
  /** nRLC paid to the owner per use. */
  pricePerAccess: bigint;
  numberOfAccess: bigint;
  remainingAccess: bigint;
  revoked: boolean;
  expiresAt: Date | null;
  publishedAt: Date;
  order: z.infer<typeof datasetOrderShape>;
};

export const grantShape = z
  .object({
    hash: hex,
    uses: bigintLike,
    usesLeft: bigintLike,
    revoked: z.boolean(),
    expiresAt: z.coerce.date().nullable(),
    publishedAt: z.coerce.date(),
    order: datasetOrderShape,
  })
  .transform(
    (grant): GrantedAccess => ({
      hash: grant.hash,
      protectedData: grant.order.dataset,
      app: grant.order.apprestrict,
      user: grant.order.requesterrestrict,
      workerpool: grant.order.workerpoolrestrict,
      pricePerAccess: grant.order.datasetprice,
      numberOfAccess: grant.uses,
      remainingAccess: grant.usesLeft,
      revoked: grant.revoked,
      expiresAt: grant.expiresAt,
      publishedAt: grant.publishedAt,
      order: grant.order,
    }),
  );

/** An order as `orders.publish` and `orders.get` present it: a grant under the orderbook's names. */
export const presentedGrantShape = z.preprocess((value) => {
  if (!value || typeof value !== 'object') return value;
  const order = value as { volume?: unknown; remaining?: unknown; cancelled?: unknown };
  return { ...value, uses: order.volume, usesLeft: order.remaining, revoked: order.cancelled };
}, grantShape);
