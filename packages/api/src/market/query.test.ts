import { orders } from '@confidant/db';
import { createTestDb } from '@confidant/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOrders } from './query.js';
import { listQuerySchema } from './schemas.js';

// The workerpool lists count the orders open to everyone from counts kept by a trigger, and the
// restricted ones one by one; every list here is checked against a count made in JavaScript from
// the same rows, before and after the orders change.

type Row = typeof orders.$inferInsert;
const ZERO = '0x0000000000000000000000000000000000000000';
const TAGS = [`0x${'0'.repeat(64)}`, `0x${'0'.repeat(63)}1`, `0x${'0'.repeat(63)}9`, `0x${'0'.repeat(63)}3`];
const address = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
const pools = [address(0xa1), address(0xa2)];
const apps = [address(0xb1), address(0xb2)];
const datasets = [address(0xc1), address(0xc2)];
const requesters = [address(0xd1), address(0xd2)];

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
}

function workerpoolOrder(i: number, pick: (n: number) => number): Row {
  const maybe = (values: string[]) => (pick(3) === 0 ? values[pick(values.length)] : null);
  const volume = BigInt(1 + pick(3));
  return {
    hash: `0x${i.toString(16).padStart(64, '0')}`,
    kind: 'workerpool',
    subject: pools[pick(pools.length)] as string,
    workerpool: pools[0] as string,
    app: maybe(apps),
    dataset: maybe(datasets),
    requester: maybe(requesters),
    signer: address(0xee),
    price: BigInt(pick(5)),
    volume,
    consumed: pick(4) === 0 ? volume : 0n,
    tag: TAGS[pick(TAGS.length)] as string,
    category: pick(2),
    payload: {},
    status: pick(8) === 0 ? 'cancelled' : 'open',
    unpublishedAt: pick(8) === 0 ? new Date() : null,
  };
}

type Query = Record<string, string>;

/** What the market API answers as the count, computed here from the rows themselves. */
function expectedCount(rows: Row[], query: Query): number {
  const minTag = query.minTag ? BigInt(query.minTag) : 0n;
  const restriction = (value: string | null | undefined, asked: string | undefined, strict: boolean) => {
    if (asked === 'any') return true;
    if (asked === undefined || asked === ZERO) return value == null;
    return strict ? value === asked : value == null || value === asked;
  };
  return rows.filter(
    (row) =>
      row.status === 'open' &&
      row.unpublishedAt == null &&
      (row.consumed ?? 0n) < row.volume &&
      (query.workerpool === undefined || query.workerpool === 'any' || row.subject === query.workerpool) &&
      (query.category === undefined || row.category === Number(query.category)) &&
      (BigInt(row.tag) & minTag) === minTag &&
      restriction(row.app, query.app, query.isAppStrict === 'true') &&
      restriction(row.dataset, query.dataset, query.isDatasetStrict === 'true') &&
      restriction(row.requester, query.requester, query.isRequesterStrict === 'true'),
  ).length;
}

const QUERIES: Query[] = [
  // iexec's fetchWorkerpoolOrderbook: the counted shape.
  {
    workerpool: pools[0] as string,
    category: '0',
    app: apps[0] as string,
    dataset: datasets[1] as string,
    requester: requesters[0] as string,
    minTag: TAGS[2] as string,
  },
  {
    workerpool: 'any',
    category: '1',
    app: apps[1] as string,
    dataset: datasets[0] as string,
    requester: requesters[1] as string,
    minTag: TAGS[1] as string,
  },
  { workerpool: 'any', app: apps[0] as string, requester: requesters[0] as string },
  { workerpool: pools[1] as string },
  { workerpool: 'any', category: '0', app: ZERO, dataset: datasets[0] as string },
  // Shapes counted one by one: strict, any, no workerpool filter with every restriction open.
  { workerpool: pools[0] as string, app: apps[0] as string, isAppStrict: 'true', dataset: 'any', requester: 'any' },
  { workerpool: 'any', app: 'any', dataset: 'any', requester: 'any', minTag: TAGS[3] as string },
];

let database: Awaited<ReturnType<typeof createTestDb>>;
beforeAll(async () => {
  database = await createTestDb();
});
afterAll(() => database?.close());

async function countOf(query: Query): Promise<number> {
  const parsed = listQuerySchema.parse({ chainId: '31337', ...query });
  return (await listOrders({ db: database.db }, 'workerpool', parsed)).count;
}

describe('workerpool list counts', () => {
  it('equal a count made from the rows, as orders are published, filled, cancelled, unpublished and changed', async () => {
    const pick = random(7);
    const rows = Array.from({ length: 400 }, (_, i) => workerpoolOrder(i + 1, pick));
    await database.db.insert(orders).values(rows);
    for (const query of QUERIES) expect(await countOf(query), JSON.stringify(query)).toBe(expectedCount(rows, query));

    for (const row of rows.slice(0, 120)) {
      const change: Partial<Row> = [
        { consumed: row.volume },
        { status: 'cancelled' as const },
        { unpublishedAt: new Date() },
        { unpublishedAt: null, status: 'open' as const, consumed: 0n },
        { app: null, dataset: null, requester: null },
        { tag: TAGS[pick(TAGS.length)] as string, category: pick(2) },
        { subject: pools[1] as string },
      ][pick(7)] as Partial<Row>;
      Object.assign(row, change);
      await database.db.update(orders).set(change).where(eq(orders.hash, row.hash));
    }
    const removed = rows.splice(0, 30);
    for (const row of removed) await database.db.delete(orders).where(eq(orders.hash, row.hash));
    for (const query of QUERIES) expect(await countOf(query), JSON.stringify(query)).toBe(expectedCount(rows, query));
  });
});
