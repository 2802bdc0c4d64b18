import {
  buildDatasetOrder,
  cancelOrder,
  getPocoDomain,
  orderTypedData,
  type PocoWalletClient,
  signOrder,
  TDX_TAG,
  TEE_TAG,
  UnsupportedTagError,
} from '@confidant/contracts';
import { auditLog } from '@confidant/db';
import { prepareTeeScenario, runTeeTask, type TeeScenario } from '@confidant/local-chain/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, refusal, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

async function publishAll(s: TeeScenario) {
  const api = h.client();
  return {
    app: await api.orders.publish.mutate({ kind: 'app', order: s.appOrder }),
    dataset: await api.orders.publish.mutate({ kind: 'dataset', order: s.datasetOrder }),
    workerpool: await api.orders.publish.mutate({ kind: 'workerpool', order: s.workerpoolOrder }),
    request: await api.orders.publish.mutate({ kind: 'request', order: s.requestOrder }),
  };
}

describe('the orderbook', () => {
  it('publishes orders of all four kinds and finds them by asset, app, dataset, requester, tag and price', async () => {
    const s = await prepareTeeScenario(h.chain);
    const published = await publishAll(s);
    expect(published.dataset).toMatchObject({
      kind: 'dataset',
      remaining: 1n,
      status: 'open',
      signer: h.chain.accounts.dataOwner.address.toLowerCase(),
    });
    const api = h.client();
    const hashes = async (input: Parameters<typeof api.orders.list.query>[0]) =>
      (await api.orders.list.query(input)).items.map((o) => o.hash);
    expect(await hashes({ kind: 'app', subject: s.app })).toEqual([published.app.hash]);
    expect(await hashes({ kind: 'dataset', dataset: s.dataset })).toEqual([published.dataset.hash]);
    // The grant is restricted to this app and requester: it shows for them, not for others.
    expect(await hashes({ kind: 'dataset', app: s.app, requester: h.chain.accounts.requester.address })).toEqual([published.dataset.hash]);
    expect(await hashes({ kind: 'dataset', dataset: s.dataset, requester: h.chain.accounts.publisher.address })).toEqual([]);
    expect(await hashes({ kind: 'workerpool', workerpool: s.workerpool, tag: TEE_TAG })).toContain(published.workerpool.hash);
    expect(await hashes({ kind: 'request', requester: h.chain.accounts.requester.address, app: s.app })).toEqual([published.request.hash]);
    expect(await hashes({ kind: 'app', subject: s.app, maxPrice: s.prices.app - 1n })).toEqual([]);
    expect(await hashes({ kind: 'app', subject: s.app, minPrice: s.prices.app })).toEqual([published.app.hash]);
    // Publishing twice is harmless.
    expect((await api.orders.publish.mutate({ kind: 'app', order: s.appOrder })).hash).toBe(published.app.hash);
    const audit = await h.api.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'grant.published'), eq(auditLog.subject, s.dataset.toLowerCase())));
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toBe(h.chain.accounts.dataOwner.address.toLowerCase());
  });

  it('reports live remaining volume and on-chain cancellation', async () => {
    const s = await prepareTeeScenario(h.chain, { volume: 3n });
    await publishAll(s);
    await runTeeTask(h.chain, s);
    await h.synced();
    const api = h.client();
    const [indexed] = (await api.orders.list.query({ kind: 'dataset', dataset: s.dataset })).items;
    // The deal held all three tasks' volume (the request order asked for 3).
    expect(indexed?.remaining ?? 0n).toBe(0n);
    expect((await api.orders.list.query({ kind: 'dataset', dataset: s.dataset, includeClosed: true })).items[0]).toMatchObject({
      status: 'filled',
      remaining: 0n,
    });

    const fresh = await prepareTeeScenario(h.chain, { volume: 5n });
    const grant = await api.orders.publish.mutate({ kind: 'dataset', order: fresh.datasetOrder });
    expect(grant.remaining).toBe(5n);
    await cancelOrder(h.chain.client('dataOwner'), { kind: 'dataset', order: fresh.datasetOrder });
    // Live: the chain says so at once, before the indexer.
    expect(
      (await api.orders.list.query({ kind: 'dataset', dataset: fresh.dataset, includeClosed: true, live: true })).items[0]?.remaining,
    ).toBe(0n);
    await h.synced();
    expect((await api.orders.list.query({ kind: 'dataset', dataset: fresh.dataset })).items).toEqual([]);
    expect(await api.orders.get.query({ hash: grant.hash as `0x${string}` })).toMatchObject({
      status: 'cancelled',
      cancelled: true,
      remaining: 0n,
    });
    const revoked = await h.api.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'grant.revoked'), eq(auditLog.subject, fresh.dataset.toLowerCase())));
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({ actor: h.chain.accounts.dataOwner.address.toLowerCase() });
    expect(revoked[0]?.txHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("refuses TEE orders that do not name TDX, as iExec 9 does, with the tag's reason", async () => {
    const s = await prepareTeeScenario(h.chain);
    // signOrder refuses the old tag itself: sign the typed data directly, as another tool might.
    const order = { ...s.appOrder, tag: TEE_TAG };
    const publisher = h.chain.client('publisher');
    const sign = await (publisher as PocoWalletClient).walletClient.signTypedData(
      orderTypedData(await getPocoDomain(publisher), 'app', order),
    );
    const old = await refusal(h.client().orders.publish.mutate({ kind: 'app', order: { ...order, sign } }));
    expect(old).toMatchObject({ code: 'BAD_REQUEST', errorName: 'UnsupportedTagError' });
    expect(old.message).toBe(`the app order's tag ${TEE_TAG} asks for a TEE without naming TDX, the only framework iExec runs`);
    await expect(signOrder(publisher, { kind: 'app', order })).rejects.toThrow(UnsupportedTagError);
  });

  it('refuses an order with a bad signature, and one for an asset someone else owns', async () => {
    const s = await prepareTeeScenario(h.chain);
    const tampered = await refusal(h.client().orders.publish.mutate({ kind: 'dataset', order: { ...s.datasetOrder, datasetprice: 0n } }));
    expect(tampered.code).toBe('FORBIDDEN');
    expect(tampered.message).toMatch(
      new RegExp(
        `^order refused: the dataset order is signed by 0x[0-9a-fA-F]{40}, not by the owner of dataset ${s.dataset.toLowerCase()}, ${h.chain.accounts.dataOwner.address}$`,
      ),
    );
    // The publisher signs a grant of the data owner's dataset.
    const stolen = await signOrder(h.chain.client('publisher'), {
      kind: 'dataset',
      order: buildDatasetOrder({ dataset: s.dataset, apprestrict: s.app, tag: TDX_TAG }),
    });
    const theft = await refusal(h.client().orders.publish.mutate({ kind: 'dataset', order: stolen }));
    expect(theft.message).toBe(
      `order refused: the dataset order is signed by ${h.chain.accounts.publisher.address}, not by the owner of dataset ${s.dataset.toLowerCase()}, ${h.chain.accounts.dataOwner.address}`,
    );
    expect(theft.hints[0]).toContain(`Sign the order with ${h.chain.accounts.dataOwner.address}`);
    const unknownAsset = await refusal(
      h.client().orders.publish.mutate({ kind: 'dataset', order: { ...stolen, dataset: `0x${'cd'.repeat(20)}` } }),
    );
    expect(unknownAsset).toMatchObject({ code: 'NOT_FOUND', errorName: 'AssetNotFoundError' });
    const badInput = await refusal(h.client().orders.publish.mutate({ kind: 'dataset', order: { ...stolen, volume: -1n } } as never));
    expect(badInput.code).toBe('BAD_REQUEST');
  });

  it('hides a grant after its expiry, and refuses expiry where it makes no sense', async () => {
    const s = await prepareTeeScenario(h.chain);
    const api = h.client();
    // Generous margins: a loaded CI machine may take a while to publish.
    const expiresAt = new Date(Date.now() + 4_000);
    const grant = await api.orders.publish.mutate({ kind: 'dataset', order: s.datasetOrder, expiresAt });
    expect(grant.expiresAt?.getTime()).toBe(expiresAt.getTime());
    expect((await api.grants.list.query({ dataset: s.dataset })).items.map((g) => g.hash)).toEqual([grant.hash]);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt.getTime() - Date.now()) + 200));
    expect((await api.grants.list.query({ dataset: s.dataset })).items).toEqual([]);
    expect((await api.orders.list.query({ kind: 'dataset', dataset: s.dataset, includeClosed: true })).items).toEqual([]);

    expect(
      (await refusal(api.orders.publish.mutate({ kind: 'app', order: s.appOrder, expiresAt: new Date(Date.now() + 60_000) }))).message,
    ).toBe('only a dataset order (a grant) can expire');
    expect(
      (await refusal(api.orders.publish.mutate({ kind: 'dataset', order: s.datasetOrder, expiresAt: new Date(Date.now() - 60_000) })))
        .message,
    ).toBe('expiresAt is in the past');
  });

  it("lists a data owner's grants with uses left", async () => {
    const s = await prepareTeeScenario(h.chain, { volume: 4n });
    await h.client().orders.publish.mutate({ kind: 'dataset', order: s.datasetOrder });
    await h.synced();
    const { items } = await h.client().grants.list.query({ owner: h.chain.accounts.dataOwner.address });
    const grant = items.find((g) => g.dataset === s.dataset.toLowerCase());
    expect(grant).toMatchObject({
      app: s.app.toLowerCase(),
      requester: h.chain.accounts.requester.address.toLowerCase(),
      pricePerUse: s.prices.dataset,
      uses: 4n,
      usesLeft: 4n,
      revoked: false,
      expiresAt: null,
    });
  });
});
