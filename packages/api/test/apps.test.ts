import { auditLog } from '@confidant/db';
import { prepareTeeScenario, runTeeTask } from '@confidant/local-chain/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, refusal, startHarness } from './harness.js';

let h: Harness;
let publisherToken: string;
let strangerToken: string;
beforeAll(async () => {
  h = await startHarness();
  publisherToken = await h.signIn(h.chain.accounts.publisher);
  strangerToken = await h.signIn(h.chain.accounts.requester);
});
afterAll(() => h?.stop());

const listing = (address: string, fields: Record<string, unknown> = {}) => ({
  address,
  title: 'Email length',
  description: 'Counts the characters of **your email** without ever seeing it.',
  category: 'text',
  tags: ['privacy', 'email'],
  requiredSchema: { email: 'string' },
  price: 3_000_000n,
  sourceUrl: 'https://example.com/email-length',
  ...fields,
});

describe('apps', () => {
  it('indexes a registered app and lets only its owner list it', async () => {
    const scenario = await prepareTeeScenario(h.chain);
    await h.synced();
    const app = await h.client().apps.get.query({ address: scenario.app });
    expect(app).toMatchObject({
      address: scenario.app.toLowerCase(),
      owner: h.chain.accounts.publisher.address.toLowerCase(),
      teeFramework: 'tdx',
      listed: false,
      version: 0,
    });

    const anonymous = await refusal(h.client().apps.upsertListing.mutate(listing(scenario.app)));
    expect(anonymous).toMatchObject({
      code: 'UNAUTHORIZED',
      errorName: 'SignInRequiredError',
      message: 'apps.upsertListing needs you to sign in',
    });
    const stranger = await refusal(h.client(strangerToken).apps.upsertListing.mutate(listing(scenario.app)));
    expect(stranger.code).toBe('FORBIDDEN');
    expect(stranger.message).toBe(
      `you (${h.chain.accounts.requester.address.toLowerCase()}) are not the owner of app ${scenario.app.toLowerCase()}; its owner is ${h.chain.accounts.publisher.address}`,
    );

    expect(await h.client(publisherToken).apps.upsertListing.mutate(listing(scenario.app))).toEqual({
      address: scenario.app.toLowerCase(),
      version: 1,
    });
    expect(await h.client(publisherToken).apps.upsertListing.mutate(listing(scenario.app, { price: 4_000_000n }))).toMatchObject({
      version: 2,
    });
    const versions = await h.client().apps.versions.query({ address: scenario.app });
    expect(versions.map((v) => [v.version, (v.listing as { price: string }).price])).toEqual([
      [2, '4000000'],
      [1, '3000000'],
    ]);
    const audit = await h.api.database.db.select().from(auditLog).where(eq(auditLog.subject, scenario.app.toLowerCase()));
    expect(audit.filter((row) => row.action === 'listing.updated')).toHaveLength(2);
  });

  it('searches, filters and sorts the catalogue', async () => {
    const [a, b, c] = [await prepareTeeScenario(h.chain), await prepareTeeScenario(h.chain), await prepareTeeScenario(h.chain)];
    const owner = h.client(publisherToken);
    await owner.apps.upsertListing.mutate(
      listing(a.app, {
        title: 'Weather oracle',
        description: 'Forecasts rain',
        category: 'data',
        tags: ['weather'],
        requiredSchema: { city: 'string' },
        price: 10n,
      }),
    );
    await owner.apps.upsertListing.mutate(
      listing(b.app, {
        title: 'Credit score',
        description: 'Scores bank statements',
        category: 'finance',
        tags: ['bank'],
        requiredSchema: { statement: 'application/pdf' },
        price: 50n,
      }),
    );
    await owner.apps.upsertListing.mutate(
      listing(c.app, {
        title: 'Rainbow art',
        description: 'Paints rainbows',
        category: 'data',
        tags: [],
        requiredSchema: null,
        price: 30n,
      }),
    );
    const api = h.client();
    const titles = async (input: Parameters<typeof api.apps.list.query>[0]) =>
      (await api.apps.list.query(input)).items.map((item) => item.title);

    expect(await titles({ q: 'forecast rain' })).toEqual(['Weather oracle']);
    expect(await titles({ q: 'bank' })).toEqual(['Credit score']);
    // Ranked by relevance, page by page, with whole cards.
    const ranked = await api.apps.list.query({ q: 'rain or bank or paints', sort: 'relevance', limit: 2 });
    expect(ranked.items).toHaveLength(2);
    expect(ranked.nextCursor).toBe(2);
    const rest = await api.apps.list.query({ q: 'rain or bank or paints', sort: 'relevance', limit: 2, cursor: 2 });
    expect([...ranked.items, ...rest.items].map((item) => item.title).sort()).toEqual(['Credit score', 'Rainbow art', 'Weather oracle']);
    expect(rest.nextCursor).toBeNull();
    expect(ranked.items.every((item) => item.summary.length > 0 && item.category !== null)).toBe(true);
    expect(await titles({ category: 'data', sort: 'priceAsc' })).toEqual(['Weather oracle', 'Rainbow art']);
    expect(await titles({ category: 'data', sort: 'priceDesc' })).toEqual(['Rainbow art', 'Weather oracle']);
    expect(await titles({ minPrice: 20n, maxPrice: 60n, sort: 'priceAsc' })).toEqual(['Rainbow art', 'Credit score']);
    // The first test's app needs only an email: it works with this data too.
    expect(await titles({ schema: { city: 'string', email: 'string' } })).toEqual(['Weather oracle', 'Email length']);
    expect(await titles({ schema: { statement: 'application/pdf' }, teeFramework: 'tdx' })).toEqual(['Credit score']);
    expect(await titles({ teeFramework: 'scone' })).toEqual([]);
    // Newest first, then paginated with the cursor.
    const first = await api.apps.list.query({ limit: 2 });
    expect(first.items.map((i) => i.title)).toEqual(['Rainbow art', 'Credit score']);
    const second = await api.apps.list.query({ limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.items[0]?.title).toBe('Weather oracle');
    // Unlisted (registered only) apps are hidden unless asked for.
    const unlisted = await prepareTeeScenario(h.chain);
    await h.synced();
    expect((await api.apps.list.query({ limit: 100 })).items.map((i) => i.address)).not.toContain(unlisted.app.toLowerCase());
    expect((await api.apps.list.query({ limit: 100, includeUnlisted: true })).items.map((i) => i.address)).toContain(
      unlisted.app.toLowerCase(),
    );

    // The most used app comes first once a task ran with it.
    await runTeeTask(h.chain, b);
    await h.synced();
    expect((await api.apps.list.query({ sort: 'mostUsed', limit: 1 })).items[0]).toMatchObject({ title: 'Credit score', usageCount: 1 });
    expect(await api.apps.stats.query({ address: b.app })).toEqual({
      tasks: 1,
      completed: 1,
      failed: 0,
      active: 0,
      requesters: 1,
      earnings: b.prices.app,
    });
  });

  it('refuses bad input and unknown apps with errors that say what to fix', async () => {
    const bad = await refusal(h.client(publisherToken).apps.upsertListing.mutate({ ...listing('0x1234'), title: '' } as never));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.message).toBe(
      'address: must be a 0x-prefixed 20-byte hex address; title: Too small: expected string to have >=1 characters',
    );
    const unknown = await refusal(h.client().apps.get.query({ address: `0x${'ab'.repeat(20)}` }));
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', errorName: 'NotIndexedError' });
    expect(unknown.hints[0]).toMatch(/^Check the id and the network/);
    const notAnApp = await refusal(h.client(publisherToken).apps.upsertListing.mutate(listing(`0x${'ab'.repeat(20)}`)));
    expect(notAnApp).toMatchObject({ code: 'NOT_FOUND', errorName: 'AssetNotFoundError' });
  });
});

describe('protected data', () => {
  it('is found by owner and by schema once its owner registered the schema', async () => {
    const scenario = await prepareTeeScenario(h.chain);
    await h.synced();
    const ownerToken = await h.signIn(h.chain.accounts.dataOwner);
    const schema = { email: 'string', profile: { age: 'f64' } };
    const stranger = await refusal(h.client(publisherToken).protectedData.registerSchema.mutate({ address: scenario.dataset, schema }));
    expect(stranger.code).toBe('FORBIDDEN');
    await h.client(ownerToken).protectedData.registerSchema.mutate({ address: scenario.dataset, schema });
    const api = h.client();
    const mine = await api.protectedData.list.query({ owner: h.chain.accounts.dataOwner.address });
    expect(mine.items.map((d) => d.address)).toContain(scenario.dataset.toLowerCase());
    const bySchema = await api.protectedData.list.query({ requiredSchema: { profile: { age: 'f64' } } });
    expect(bySchema.items.map((d) => d.address)).toEqual([scenario.dataset.toLowerCase()]);
    expect(await api.protectedData.get.query({ address: scenario.dataset })).toMatchObject({ schema });
    const badSchema = await refusal(
      h.client(ownerToken).protectedData.registerSchema.mutate({ address: scenario.dataset, schema: { 'bad key!': 'string' } }),
    );
    expect(badSchema.message).toBe('schema.bad key!: keys use letters, digits, - and _');
  });
});
