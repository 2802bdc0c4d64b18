import { assertOrderTag, getPocoDomain, hashOrder, iexecPocoAbi, type OrderKind, verifyOrder } from '@confidant/contracts';
import { orders } from '@confidant/db';
import { InvalidRequestError, OrderRefusedError } from '@confidant/errors/api';
import { eq } from 'drizzle-orm';
import type { Hex } from 'viem';
import type { Context } from '../context.js';
import { recordAudit } from './audit.js';
import { orderColumns, type OrderPayloads, type OrderRow } from './orderbook.js';
import { orderToJson } from './serialize.js';

export type PublishOrderInput = {
  [kind in OrderKind]: { kind: kind; order: OrderPayloads[kind] };
}[OrderKind] & {
  expiresAt?: Date | undefined;
  /** When set, the order must be signed by this account (the market API's authorized address). */
  publisher?: string | undefined;
  /** Copied from an upstream market API (see market/mirror.ts): withdrawn when it leaves there. */
  mirrored?: boolean | undefined;
};

/** Refuses an order whose signature is not its asset owner's (request: its requester's). */
async function verifiedSigner(ctx: Pick<Context, 'poco'>, input: PublishOrderInput, subject: string) {
  const { kind, order } = input;
  // iExec 9 refuses SGX tags and TEE app, workerpool and request orders that do not name TDX.
  assertOrderTag(kind, order.tag as Hex);
  const domain = await getPocoDomain(ctx.poco);
  const verdict = await verifyOrder(ctx.poco, { kind, order: order as never, domain });
  if (!verdict.valid) {
    const owner =
      kind === 'request' ? `its requester ${verdict.expectedSigner}` : `the owner of ${kind} ${subject}, ${verdict.expectedSigner}`;
    throw new OrderRefusedError(
      verdict.signer
        ? `the ${kind} order is signed by ${verdict.signer}, not by ${owner}`
        : `the ${kind} order's signature is missing or malformed`,
      `Sign the order with ${verdict.expectedSigner} for PoCo ${domain.verifyingContract} on chain ${domain.chainId}.`,
    );
  }
  const signer = verdict.expectedSigner.toLowerCase();
  if (input.publisher && input.publisher.toLowerCase() !== signer)
    throw new OrderRefusedError(
      `the ${kind} order is signed by ${signer}, not by the authorized address ${input.publisher.toLowerCase()}`,
      `Publish the order with the account that signed it, ${signer}.`,
    );
  return { signer, hash: hashOrder({ domain, kind, order: order as never }).toLowerCase() };
}

/**
 * Publishes a signed order into the orderbook: the one code path behind tRPC `orders.publish` and the
 * market API's `POST /<kind>orders`, and the market mirror's way in. Publishing the same order again is
 * harmless (and brings back an order its signer had unpublished).
 */
export async function publishOrder(ctx: Pick<Context, 'db' | 'poco'>, input: PublishOrderInput): Promise<OrderRow> {
  const { kind, order } = input;
  if (input.expiresAt && kind !== 'dataset')
    throw new InvalidRequestError(
      'only a dataset order (a grant) can expire',
      'Drop expiresAt, or cancel the order on chain when it should end.',
    );
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
    throw new InvalidRequestError('expiresAt is in the past', 'Give a future date for the grant to expire.');
  const columns = orderColumns(kind, order as never);
  const { signer, hash } = await verifiedSigner(ctx, input, String(columns.subject));
  const consumed = await ctx.poco.publicClient.readContract({
    address: ctx.poco.addresses.poco,
    abi: iexecPocoAbi,
    functionName: 'viewConsumed',
    args: [hash as Hex],
  });
  return ctx.db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(orders)
      .values({
        hash,
        ...columns,
        signer,
        payload: orderToJson(order),
        consumed,
        status: consumed >= columns.volume ? 'filled' : 'open',
        expiresAt: input.expiresAt ?? null,
        mirrored: input.mirrored ?? false,
      })
      .onConflictDoNothing()
      .returning();
    if (!inserted) {
      const [existing] = await tx.select().from(orders).where(eq(orders.hash, hash));
      if (!existing?.unpublishedAt) return existing as OrderRow;
      const [republished] = await tx
        .update(orders)
        .set({ unpublishedAt: null, publishedAt: new Date(), updatedAt: new Date(), ...(input.mirrored ? { mirrored: true } : {}) })
        .where(eq(orders.hash, hash))
        .returning();
      return republished as OrderRow;
    }
    await recordAudit(tx, {
      actor: signer,
      action: kind === 'dataset' ? 'grant.published' : `${kind}Order.published`,
      subject: kind === 'dataset' ? columns.subject : hash,
      details: {
        hash,
        price: columns.price.toString(),
        volume: columns.volume.toString(),
        app: columns.app ?? null,
        requester: columns.requester ?? null,
        expiresAt: input.expiresAt?.toISOString() ?? null,
        ...(input.mirrored ? { mirrored: true } : {}),
      },
    });
    return inserted;
  });
}
