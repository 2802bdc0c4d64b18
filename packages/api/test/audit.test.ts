import { apps, appVersions, auditLog, type Database } from '@confidant/db';
import { prepareTeeScenario, runTeeTask } from '@confidant/local-chain/testing';
import { eq } from 'drizzle-orm';
import type { Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Context, createCaller } from '../src/index.js';
import { interceptTransactionWrites } from './faults.js';
import { type Harness, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

/** The API's database, except that writing an audit row fails. */
const failingAudit = (db: Database) =>
  interceptTransactionWrites(db, (method, table) => {
    if (method === 'insert' && table === auditLog) throw new RangeError('the audit log is unavailable');
  });

const signedInAs = (address: Address, db: Database): Context => ({
  ...h.api.services,
  db,
  session: async () => ({ address }),
  sessionToken: undefined,
  setCookie: () => {},
});

describe('audit rows', () => {
  it('commit with the change they record, or not at all', async () => {
    const s = await prepareTeeScenario(h.chain);
    await h.synced();
    const publisher = h.chain.accounts.publisher.address;
    const listing = { address: s.app.toLowerCase() as Address, title: 'Audited', category: 'text', price: 1n };

    const broken = createCaller(signedInAs(publisher, failingAudit(h.api.database.db)));
    await expect(broken.apps.upsertListing(listing)).rejects.toThrow('the audit log is unavailable');
    const [unchanged] = await h.api.database.db.select().from(apps).where(eq(apps.address, s.app.toLowerCase()));
    expect(unchanged).toMatchObject({ listed: false, version: 0, title: null });
    expect(await h.api.database.db.select().from(appVersions).where(eq(appVersions.app, s.app.toLowerCase()))).toEqual([]);

    const working = createCaller(signedInAs(publisher, h.api.database.db));
    await working.apps.upsertListing(listing);
    const rows = await h.api.database.db.select().from(auditLog).where(eq(auditLog.subject, s.app.toLowerCase()));
    expect(rows.map((row) => [row.action, row.actor])).toEqual([['listing.updated', publisher.toLowerCase()]]);
  });
});

describe('tasks', () => {
  it('lists every use of a protected data, with its app, requester and status', async () => {
    const s = await prepareTeeScenario(h.chain);
    const { taskId, dealId } = await runTeeTask(h.chain, s);
    await h.synced();
    const { items } = await h.client().tasks.list.query({ dataset: s.dataset });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      taskId: taskId.toLowerCase(),
      dealId: dealId.toLowerCase(),
      status: 'COMPLETED',
      app: s.app.toLowerCase(),
      requester: h.chain.accounts.requester.address.toLowerCase(),
      datasetPrice: s.prices.dataset,
      resultLocation: '/ipfs/QmResult',
    });
    expect(await h.client().tasks.get.query({ taskId })).toMatchObject({ status: 'COMPLETED' });
    const overview = await h.client().stats.overview.query();
    expect(overview.completedTasks).toBeGreaterThanOrEqual(1);
    expect(overview.indexedBlock).toBeGreaterThan(0n);
  });
});
