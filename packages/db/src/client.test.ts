import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, DatabaseUnavailableError, type DbClient, redact } from './index.js';
import { apps, auditLog, orders, protectedData, protectedDataSchemaEntries } from './schema.js';
import { createTestDb } from './testing.js';

let client: Awaited<ReturnType<typeof createTestDb>>;
beforeAll(async () => {
  client = await createTestDb();
});
afterAll(() => client?.close());

const app = (address: string, fields: Partial<typeof apps.$inferInsert> = {}): typeof apps.$inferInsert => ({
  address,
  owner: '0x00000000000000000000000000000000000000aa',
  name: `app ${address}`,
  type: 'DOCKER',
  multiaddr: 'bundle://x',
  checksum: `0x${'00'.repeat(32)}`,
  mrenclave: '',
  createdBlock: 1n,
  createdTx: `0x${'11'.repeat(32)}`,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  ...fields,
});

const dataRow = (address: string, fields: Partial<typeof protectedData.$inferInsert> = {}): typeof protectedData.$inferInsert => ({
  address,
  owner: '0x00000000000000000000000000000000000000bb',
  name: `data ${address}`,
  multiaddr: '/ipfs/Qm',
  checksum: `0x${'22'.repeat(32)}`,
  schema: { email: 'string', profile: { city: 'string' } },
  createdBlock: 1n,
  createdTx: `0x${'33'.repeat(32)}`,
  createdAt: new Date(),
  ...fields,
});

describe(`the database (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('runs the migrations and round-trips uint256 values exactly', async () => {
    const { db } = client;
    const huge = 2n ** 255n + 12345n;
    await db.insert(apps).values(app('0x01', { price: huge }));
    const [row] = await db.select().from(apps).where(eq(apps.address, '0x01'));
    expect(row?.price).toBe(huge);
    expect(row?.tags).toEqual([]);
    expect(row?.usageCount).toBe(0);
  });

  it('keeps the full-text search document of an app current', async () => {
    const { db } = client;
    await db
      .insert(apps)
      .values(app('0x02', { title: 'Email counter', description: 'Counts the characters of your email', tags: ['privacy', 'text'] }));
    const search = (query: string) =>
      db.select({ address: apps.address }).from(apps).where(sql`${apps.search} @@ websearch_to_tsquery('english', ${query})`);
    expect(await search('counting emails')).toEqual([{ address: '0x02' }]);
    expect(await search('privacy')).toEqual([{ address: '0x02' }]);
    expect(await search('weather')).toEqual([]);
    await db.update(apps).set({ description: 'Forecasts the weather' }).where(eq(apps.address, '0x02'));
    expect(await search('weather')).toEqual([{ address: '0x02' }]);
  });

  it('finds apps whose required schema a protected data satisfies (jsonb containment)', async () => {
    const { db } = client;
    await db
      .insert(apps)
      .values([app('0x03', { requiredSchema: { email: 'string' } }), app('0x04', { requiredSchema: { email: 'string', age: 'f64' } })]);
    await db.insert(protectedData).values(dataRow('0xd1', { name: 'mine', createdBlock: 2n }));
    const [data] = await db.select().from(protectedData).where(eq(protectedData.address, '0xd1'));
    const usable = await db
      .select({ address: apps.address })
      .from(apps)
      .where(sql`${apps.requiredSchema} is not null and ${JSON.stringify(data?.schema)}::jsonb @> ${apps.requiredSchema}`);
    expect(usable).toEqual([{ address: '0x03' }]);
  });

  it('keeps one row per schema entry of each protected data, in step with its schema', async () => {
    const { db } = client;
    const rowsOf = async (address: string) =>
      (
        await db
          .select({ entry: protectedDataSchemaEntries.entry, createdBlock: protectedDataSchemaEntries.createdBlock })
          .from(protectedDataSchemaEntries)
          .where(eq(protectedDataSchemaEntries.address, address))
      ).sort((a, b) => a.entry.localeCompare(b.entry));
    await db.insert(protectedData).values(dataRow('0xe1', { name: 'entries', createdBlock: 7n }));
    expect(await rowsOf('0xe1')).toEqual([
      { entry: 'email:string', createdBlock: 7n },
      { entry: 'profile.city:string', createdBlock: 7n },
    ]);
    // A schema registered or changed later replaces the rows; a dataset without one has none.
    await db
      .update(protectedData)
      .set({ schema: { photo: 'image/jpeg' } })
      .where(eq(protectedData.address, '0xe1'));
    expect(await rowsOf('0xe1')).toEqual([{ entry: 'photo:image/jpeg', createdBlock: 7n }]);
    await db.update(protectedData).set({ schema: null }).where(eq(protectedData.address, '0xe1'));
    expect(await rowsOf('0xe1')).toEqual([]);
    await db
      .update(protectedData)
      .set({ schema: { score: 'f64' } })
      .where(eq(protectedData.address, '0xe1'));
    await db.delete(protectedData).where(eq(protectedData.address, '0xe1'));
    expect(await rowsOf('0xe1')).toEqual([]);
  });

  it('rolls back every row of a failed transaction, audit rows included', async () => {
    const { db } = client;
    const attempt = db.transaction(async (tx) => {
      await tx.insert(auditLog).values({ actor: '0xaa', action: 'grant.published', subject: '0xd1' });
      await tx.insert(orders).values({
        hash: '0xh1',
        kind: 'dataset',
        subject: '0xd1',
        signer: '0xbb',
        price: 1n,
        volume: 1n,
        tag: `0x${'00'.repeat(32)}`,
        payload: {},
      });
      throw new RangeError('the change fails after writing');
    });
    await expect(attempt).rejects.toThrow('the change fails after writing');
    expect(await db.select().from(auditLog).where(eq(auditLog.subject, '0xd1'))).toEqual([]);
    expect(
      await db
        .select()
        .from(orders)
        .where(and(eq(orders.hash, '0xh1'))),
    ).toEqual([]);
    const [latest] = await db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(latest).toBeUndefined();
  });
});

describe('createDb', () => {
  it('keeps PGlite data in its directory across a reopen', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'confidant-db-'));
    try {
      const first = await createDb({ dataDir });
      await first.db.insert(apps).values(app('0x05'));
      await first.close();
      const second = await createDb({ dataDir });
      expect(await second.db.select({ address: apps.address }).from(apps)).toEqual([{ address: '0x05' }]);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.skipIf(Boolean(process.env.DATABASE_URL))(
    'starts new PGlite databases from the empty cluster the build saved, never over existing data',
    async () => {
      // The build (scripts/pglite-template.mjs) saves an initialised cluster; copies share its identifier.
      const identifier = async (client: DbClient) => {
        const result = (await client.db.execute(sql`select system_identifier::text as id from pg_control_system()`)) as unknown as {
          rows: { id: string }[];
        };
        return result.rows[0]?.id;
      };
      const dataDir = mkdtempSync(join(tmpdir(), 'confidant-db-'));
      try {
        const inMemory = await createDb();
        const onDisk = await createDb({ dataDir });
        const fromTemplate = await identifier(inMemory);
        expect(fromTemplate).toMatch(/^\d+$/);
        expect(await identifier(onDisk)).toBe(fromTemplate);
        await onDisk.db.insert(apps).values(app('0x06'));
        await Promise.all([inMemory.close(), onDisk.close()]);
        const reopened = await createDb({ dataDir });
        expect(await reopened.db.select({ address: apps.address }).from(apps)).toEqual([{ address: '0x06' }]);
        await reopened.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );

  it('says plainly when PostgreSQL is not there, without leaking the password', async () => {
    const error = await createDb({ url: 'postgres://user:s3cret@127.0.0.1:1/none' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).not.toContain('s3cret');
    expect((error as DatabaseUnavailableError).shortMessage).toBe(
      'the database (postgres://user:***@127.0.0.1:1/none) could not be opened',
    );
    expect(redact('not a url')).toBe('an invalid URL');
  });
});
