import type { OrderKind } from '@confidant/contracts';
import { type orders } from '@confidant/db';
import { type Address, zeroAddress } from 'viem';
import type { z } from 'zod';
import { appOrderSchema, datasetOrderSchema, requestOrderSchema, workerpoolOrderSchema } from '../schemas.js';

type AnyOrder = Record<string, unknown> & { volume: bigint; tag: string };

const restriction = (value: unknown) => {
  const address = String(value).toLowerCase();
  return address === zeroAddress ? null : address;
};

/** The indexed columns of an order: what it is about, whom it allows, its price. */
export function orderColumns(kind: OrderKind, o: AnyOrder): Omit<typeof orders.$inferInsert, 'hash' | 'signer' | 'payload'> {
  switch (kind) {
    case 'app':
      return {
        kind,
        subject: String(o.app),
        app: String(o.app),
        dataset: restriction(o.datasetrestrict),
        workerpool: restriction(o.workerpoolrestrict),
        requester: restriction(o.requesterrestrict),
        price: o.appprice as bigint,
        volume: o.volume,
        tag: o.tag,
      };
    case 'dataset':
      return {
        kind,
        subject: String(o.dataset),
        dataset: String(o.dataset),
        app: restriction(o.apprestrict),
        workerpool: restriction(o.workerpoolrestrict),
        requester: restriction(o.requesterrestrict),
        price: o.datasetprice as bigint,
        volume: o.volume,
        tag: o.tag,
      };
    case 'workerpool':
      return {
        kind,
        subject: String(o.workerpool),
        workerpool: String(o.workerpool),
        app: restriction(o.apprestrict),
        dataset: restriction(o.datasetrestrict),
        requester: restriction(o.requesterrestrict),
        price: o.workerpoolprice as bigint,
        volume: o.volume,
        tag: o.tag,
        category: Number(o.category),
      };
    case 'request':
      return {
        kind,
        subject: String(o.requester),
        requester: String(o.requester),
        app: String(o.app),
        dataset: restriction(o.dataset),
        workerpool: restriction(o.workerpool),
        price: (o.appmaxprice as bigint) + (o.datasetmaxprice as bigint) + (o.workerpoolmaxprice as bigint),
        volume: o.volume,
        tag: o.tag,
        category: Number(o.category),
      };
  }
}

export type OrderRow = typeof orders.$inferSelect;

const payloadSchemas = {
  app: appOrderSchema,
  dataset: datasetOrderSchema,
  workerpool: workerpoolOrderSchema,
  request: requestOrderSchema,
} as const;

/** A signed order of each kind as the API returns it: uint256 fields as bigints, addresses lowercase. */
export type OrderPayloads = { [kind in OrderKind]: z.output<(typeof payloadSchemas)[kind]> };

/** The stored payload (JSON, numbers as decimal strings) as the signed order it was published as. */
function payloadOf<kind extends OrderKind>(kind: kind, payload: unknown): OrderPayloads[kind] {
  return payloadSchemas[kind].parse(payload) as OrderPayloads[kind];
}

function presentState(row: OrderRow, now: Date) {
  const remaining = row.status === 'cancelled' || row.consumed >= row.volume ? 0n : row.volume - row.consumed;
  return {
    hash: row.hash as `0x${string}`,
    subject: row.subject as Address,
    signer: row.signer as Address,
    price: row.price,
    volume: row.volume,
    remaining,
    status: row.status,
    cancelled: row.status === 'cancelled',
    expiresAt: row.expiresAt,
    expired: row.expiresAt !== null && row.expiresAt <= now,
    publishedAt: row.publishedAt,
  };
}

/** An order of a known kind as the API returns it: its signed payload and live state. */
export function presentOrderOf<kind extends OrderKind>(kind: kind, row: OrderRow, now = new Date()) {
  return { ...presentState(row, now), kind, order: payloadOf(kind, row.payload) };
}

/** An order as the API returns it, tagged by its kind: its signed payload and live state. */
export type PresentedOrder = { [kind in OrderKind]: ReturnType<typeof presentOrderOf<kind>> }[OrderKind];

/** An order as the API returns it: its signed payload and live state. */
export function presentOrder(row: OrderRow, now = new Date()): PresentedOrder {
  return presentOrderOf(row.kind, row, now) as PresentedOrder;
}
