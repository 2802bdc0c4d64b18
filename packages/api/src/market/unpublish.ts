import { orders } from '@confidant/db';
import { and, desc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import type { Context } from '../context.js';
import { recordAudits } from '../store/audit.js';
import { forbidden, invalid, notFound } from './errors.js';
import type { MarketKind, UnpublishBody } from './schemas.js';

const RESOURCE_FIELD = { app: 'app', dataset: 'dataset', workerpool: 'workerpool', request: 'requester' } as const;

/** The orders an unpublish request targets, all signed by `signer`, still published and open. */
async function targets(ctx: Pick<Context, 'db'>, kind: MarketKind, body: UnpublishBody, signer: string): Promise<string[]> {
  const published: SQL[] = [eq(orders.kind, kind), isNull(orders.unpublishedAt), eq(orders.status, 'open')];
  if (body.target === 'unpublish_orderHash') {
    const [row] = await ctx.db
      .select({ signer: orders.signer })
      .from(orders)
      .where(and(eq(orders.hash, body.orderHash), ...published));
    if (!row) throw notFound(`${kind}order not found: no open ${kind}order ${body.orderHash} is published`);
    if (row.signer !== signer)
      throw forbidden(`${kind}order ${body.orderHash} was signed by ${row.signer}, not by the authorized address ${signer}`);
    return [body.orderHash];
  }
  const field = RESOURCE_FIELD[kind];
  const resource = body[field];
  if (!resource)
    throw invalid(`${field} is required to ${body.target === 'unpublish_all' ? 'unpublish all' : 'unpublish the last'} ${kind}orders`);
  const rows = await ctx.db
    .select({ hash: orders.hash })
    .from(orders)
    .where(and(...published, eq(orders.subject, resource), eq(orders.signer, signer)))
    .orderBy(desc(orders.publishedAt), desc(orders.hash))
    .limit(body.target === 'unpublish_last' ? 1 : 10_000);
  if (rows.length === 0) throw notFound(`no open ${kind}order published by ${signer} for ${field} ${resource}`);
  return rows.map((row) => row.hash);
}

/** Withdraws orders from the orderbook (both doors) on their signer's request; returns their hashes. */
export async function unpublishOrders(ctx: Pick<Context, 'db'>, kind: MarketKind, body: UnpublishBody, signer: string): Promise<string[]> {
  const hashes = await targets(ctx, kind, body, signer);
  await ctx.db.transaction(async (tx) => {
    const now = new Date();
    await tx.update(orders).set({ unpublishedAt: now, updatedAt: now }).where(inArray(orders.hash, hashes));
    await recordAudits(
      tx,
      hashes.map((hash) => ({ actor: signer, action: `${kind}Order.unpublished`, subject: hash })),
    );
  });
  return hashes;
}
