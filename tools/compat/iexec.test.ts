import { generateKeyPairSync } from 'node:crypto';
import { computeTaskId } from '@confidant/contracts';
import { type Devnet, devnetClient, startDevnet } from '@confidant/devnet';
import { unzip } from '@confidant/protected-data';
import { grantAccess, processProtectedData, protectData, publishAppOrder, waitForTaskCompletion } from '@confidant/sdk';
import { deployApp } from '@confidant/sdk/node';
import { utils } from 'iexec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iexecOn } from '@confidant/devnet/iexec';
import { freeRequestOrder } from './devnetIexec.js';

// iExec's own published client (`iexec`, pinned) against a real local network: it hashes and
// matches — preflight checks on — the orders Confidant signs, reads the apps `deployApp` registers
// (an OCI image pushed to the local registry, as iExec 9 registers apps), and decrypts the results
// Confidant's worker writes after running that image.

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet();
}, 120_000);
afterAll(() => devnet?.stop());

// Reads the protected data's archive and writes the host path of IEXEC_OUT into computed.json, as a
// careless app would: the result must name the file inside the enclave all the same.
const APP = `
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const data = readFileSync(join(process.env.IEXEC_IN, process.env.IEXEC_DATASET_FILENAME));
writeFileSync(join(process.env.IEXEC_OUT, 'result.txt'), 'Hello, ' + process.argv[2] + '! ' + data.length + ' bytes of protected data');
writeFileSync(join(process.env.IEXEC_OUT, 'computed.json'), JSON.stringify({ 'deterministic-output-path': join(process.env.IEXEC_OUT, 'result.txt') }));
`;

describe("iExec's SDK and Confidant", () => {
  it('hashes and matches the orders Confidant signs, and decrypts the result of the task', async () => {
    const publisher = devnetClient(devnet, 'publisher');
    const owner = devnetClient(devnet, 'dataOwner');
    const requester = devnet.chain.accounts.requester.address;

    const {
      address: app,
      image,
      digest,
    } = await deployApp(publisher, {
      name: 'iexec-compat',
      files: { 'app.js': APP },
      declaration: { runtime: 'node', entrypoint: 'app.js' },
    });
    // Registered as iExec 9 registers an app: the image, its manifest digest, no MREnclave.
    const shown = await iexecOn(devnet, 'requester').app.showApp(app);
    expect(shown.app).toMatchObject({ appType: 'DOCKER', appMultiaddr: image, appChecksum: `0x${digest.slice(7)}`, appMREnclave: '' });
    expect(image.startsWith(`${devnet.registry.registry}/`)).toBe(true);

    const appOrderHash = (await publishAppOrder(publisher, { app, price: 0n, volume: 5n })).hash;
    const { address: dataset } = await protectData(owner, { data: { email: 'alice@example.com' }, name: 'compat' });
    const grant = await grantAccess(owner, { protectedData: dataset, authorizedApp: app, authorizedUser: requester });
    const orderOf = async (hash: `0x${string}`) => (await publisher.api.orders.get.query({ hash })).order;
    const apporder = await orderOf(appOrderHash);
    const datasetorder = await orderOf(grant.hash);
    const pools = await publisher.api.orders.list.query({ kind: 'workerpool', workerpool: devnet.chain.workerpool.address });
    const pool = pools.items[0];
    if (!pool) throw new Error('the local worker published no workerpool order');
    const workerpoolorder = pool.order;
    const requestorder = await freeRequestOrder(devnet, { app, dataset, args: 'Alice' });

    const iexec = iexecOn(devnet, 'requester');
    expect((await iexec.order.hashApporder(apporder as never)).toLowerCase()).toBe(appOrderHash.toLowerCase());
    expect((await iexec.order.hashDatasetorder(datasetorder as never)).toLowerCase()).toBe(grant.hash.toLowerCase());
    expect((await iexec.order.hashWorkerpoolorder(workerpoolorder as never)).toLowerCase()).toBe(pool.hash.toLowerCase());
    const requestHash = await iexec.order.hashRequestorder(requestorder as never);
    expect(requestHash).toMatch(/^0x[0-9a-f]{64}$/);

    // The beneficiary's result key, pushed with iExec's SDK to Confidant's SMS.
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await iexec.result.pushResultEncryptionKey(Buffer.from(publicPem).toString('base64'), { forceUpdate: true });

    // Preflight on: the app carries no MREnclave, the SMS has the dataset key and the result key.
    const { dealid } = await iexec.order.matchOrders(
      { apporder: apporder as never, datasetorder: datasetorder as never, workerpoolorder: workerpoolorder as never, requestorder },
      { preflightCheck: true },
    );
    const taskId = computeTaskId(dealid as `0x${string}`, 0n);
    const done = await waitForTaskCompletion(devnetClient(devnet, 'requester'), { taskId, timeoutMs: 60_000 });
    expect(done.status).toBe('COMPLETED');

    // iExec's SDK reads the task's result pointer and downloads it from the local storage's gateway.
    const task = await iexec.task.show(taskId);
    expect(task.results).toMatchObject({ storage: 'ipfs', location: expect.stringMatching(/^\/ipfs\//) });
    const encrypted = new Uint8Array(await (await iexec.task.fetchResults(taskId)).arrayBuffer());
    const plainZip = await utils.decryptResult(encrypted, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const files = await unzip(new Uint8Array(plainZip));
    expect(new TextDecoder().decode(files.get('result.txt'))).toMatch(/^Hello, Alice! \d+ bytes of protected data$/);
    expect(JSON.parse(new TextDecoder().decode(files.get('computed.json')))).toEqual({
      'deterministic-output-path': '/iexec_out/result.txt',
    });
  }, 120_000);

  it("runs an app that iExec's client registered and offered, on data Confidant protected", async () => {
    // The image Confidant built and pushed; the app registered and its order published by iExec's SDK.
    const { image, digest } = await deployApp(devnetClient(devnet, 'publisher'), {
      name: 'iexec-registered',
      files: { 'app.js': APP },
      declaration: { runtime: 'node', entrypoint: 'app.js' },
    });
    const iexec = iexecOn(devnet, 'publisher');
    const { address: app } = await iexec.app.deployApp({
      owner: devnet.chain.accounts.publisher.address,
      name: 'registered-by-iexec',
      type: 'DOCKER',
      multiaddr: image,
      checksum: `0x${digest.slice(7)}`,
    });
    const apporder = await iexec.order.signApporder(await iexec.order.createApporder({ app, appprice: 0, volume: 5, tag: ['tee', 'tdx'] }));
    await iexec.order.publishApporder(apporder);

    const owner = devnetClient(devnet, 'dataOwner');
    const { address: dataset } = await protectData(owner, { data: { email: 'bob@example.com' }, name: 'for an iexec app' });
    await grantAccess(owner, {
      protectedData: dataset,
      authorizedApp: app as `0x${string}`,
      authorizedUser: devnet.chain.accounts.requester.address,
    });
    const { result } = await processProtectedData(devnetClient(devnet, 'requester'), {
      app: app as `0x${string}`,
      protectedData: dataset,
      args: 'Bob',
    });
    expect(new TextDecoder().decode(result?.files['result.txt'])).toMatch(/^Hello, Bob! \d+ bytes of protected data$/);
  }, 120_000);
});
