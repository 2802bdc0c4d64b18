import { type Devnet, devnetClient, startDevnet } from '@confidant/devnet';
import { publishAppOrder } from '@confidant/sdk';
import { deployApp } from '@confidant/sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataProtectorOn } from '@confidant/devnet/iexec';

// `@iexec/dataprotector` (pinned, unchanged, options only) against a local network started under
// chain id 421614, the only way it accepts a chain that is not one of iExec's: it protects, finds,
// grants, runs (with args and a requester secret), reads the result and revokes, end to end on
// Confidant's chain, market API, subgraph, SMS, storage and worker.

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet({ chainId: 421614 });
}, 120_000);
afterAll(() => devnet?.stop());

// What a protected data's app sees: the archive dataprotector made (a zip: "PK"), its args and the
// requester's secret.
const APP = `
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const data = readFileSync(join(process.env.IEXEC_IN, process.env.IEXEC_DATASET_FILENAME));
const summary = { args: process.argv.slice(2), secret: process.env.IEXEC_REQUESTER_SECRET_1, zip: data.subarray(0, 2).toString() === 'PK', bytes: data.length };
writeFileSync(join(process.env.IEXEC_OUT, 'summary.json'), JSON.stringify(summary));
writeFileSync(join(process.env.IEXEC_OUT, 'computed.json'), JSON.stringify({ 'deterministic-output-path': join(process.env.IEXEC_OUT, 'summary.json') }));
`;

describe("iExec's DataProtector client on the local network under chain id 421614", () => {
  it('protects, finds, grants, processes with args and a secret, reads the result, revokes, then is refused', async () => {
    expect(devnet.chain.chainId).toBe(421614);
    const requester = devnet.chain.accounts.requester.address;
    const publisher = devnetClient(devnet, 'publisher');
    const { address: app } = await deployApp(publisher, {
      name: 'dataprotector-compat',
      files: { 'app.js': APP },
      declaration: { runtime: 'node', entrypoint: 'app.js' },
    });
    await publishAppOrder(publisher, { app, price: 0n, volume: 100n });

    const owner = dataProtectorOn(devnet, 'dataOwner');
    const protectedData = await owner.protectData({ data: { email: 'alice@example.com', age: 29 }, name: 'alice' });
    expect(protectedData).toMatchObject({
      name: 'alice',
      owner: devnet.chain.accounts.dataOwner.address,
      schema: { email: 'string', age: 'f64' },
    });
    const dataset = protectedData.address;
    const addressesOf = (found: { address: string }[]) => found.map((d) => d.address.toLowerCase());

    // Found through the subgraph, by owner and by required schema, once the API has indexed it.
    await expect
      .poll(async () => addressesOf(await owner.getProtectedData({ owner: devnet.chain.accounts.dataOwner.address })), {
        timeout: 10_000,
      })
      .toContain(dataset.toLowerCase());
    const bySchema = await owner.getProtectedData({ requiredSchema: { email: 'string', age: ['i128', 'f64'] } });
    expect(addressesOf(bySchema)).toContain(dataset.toLowerCase());
    expect(await owner.getProtectedData({ requiredSchema: { phone: 'string' } })).toEqual([]);

    const granted = await owner.grantAccess({ protectedData: dataset, authorizedApp: app, authorizedUser: requester, numberOfAccess: 5 });
    expect(granted.dataset.toLowerCase()).toBe(dataset.toLowerCase());
    expect(granted.volume).toBe('5');
    const { count, grantedAccess } = await owner.getGrantedAccess({
      protectedData: dataset,
      authorizedApp: app,
      authorizedUser: requester,
    });
    expect(count).toBe(1);
    expect(grantedAccess[0]?.sign).toBe(granted.sign);

    const user = dataProtectorOn(devnet, 'requester');
    const processed = await user.processProtectedData({
      protectedData: dataset,
      app,
      workerpool: devnet.chain.workerpool.address,
      args: 'Alice Bob',
      secrets: { 1: 'open sesame' },
      encryptResult: true,
      path: 'summary.json',
    });
    expect(processed.taskId).toMatch(/^0x[0-9a-f]{64}$/);
    const summary = JSON.parse(new TextDecoder().decode(processed.result));
    expect(summary).toMatchObject({ args: ['Alice', 'Bob'], secret: 'open sesame', zip: true });

    // The same result again, from the task alone, with the key processProtectedData generated.
    const again = await user.getResultFromCompletedTask({
      taskId: processed.taskId,
      path: 'summary.json',
      pemPrivateKey: processed.pemPrivateKey,
    });
    expect(JSON.parse(new TextDecoder().decode(again.result))).toEqual(summary);

    // Revoked: the next run finds no dataset order and is refused before anything is spent.
    const [access] = (await owner.getGrantedAccess({ protectedData: dataset, authorizedApp: app, authorizedUser: requester }))
      .grantedAccess;
    if (!access) throw new TypeError('the grant vanished before it was revoked');
    await owner.revokeOneAccess(access);
    // The market API drops it once the API has indexed the cancellation (as iExec's market does).
    await expect
      .poll(async () => (await owner.getGrantedAccess({ protectedData: dataset, authorizedApp: app, authorizedUser: requester })).count, {
        timeout: 10_000,
      })
      .toBe(0);
    await expect(
      user.processProtectedData({ protectedData: dataset, app, workerpool: devnet.chain.workerpool.address, waitForResult: false }),
    ).rejects.toMatchObject({
      message: 'Failed to process protected data',
      cause: expect.objectContaining({ message: 'No Dataset order found for the desired price' }),
    });
  }, 180_000);
});
