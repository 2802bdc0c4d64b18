import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localNetworkOf } from '@confidant/cli';
import { type Devnet, devnetClient, startDevnet } from '@confidant/devnet';
import { grantAccess, protectData, publishAppOrder, revokeOneAccess } from '@confidant/sdk';
import { deployApp } from '@confidant/sdk/node';
import type { Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataProtectorOn } from '@confidant/devnet/iexec';

// One network, two clients: data protected with iExec's DataProtector client runs from Confidant's
// CLI, data protected with Confidant's SDK (what its web app and CLI call) runs with iExec's client,
// and a missing, revoked or expired grant is refused the same way by either.

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'apps', 'cli', 'bin', 'confidant.js');

const APP = `
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const data = readFileSync(join(process.env.IEXEC_IN, process.env.IEXEC_DATASET_FILENAME));
writeFileSync(join(process.env.IEXEC_OUT, 'result.txt'), process.argv.slice(2).join(' ') + ': ' + data.length + ' bytes, zip ' + (data.subarray(0, 2).toString() === 'PK'));
writeFileSync(join(process.env.IEXEC_OUT, 'computed.json'), JSON.stringify({ 'deterministic-output-path': join(process.env.IEXEC_OUT, 'result.txt') }));
`;

let devnet: Devnet;
let app: Address;
let home: string;
beforeAll(async () => {
  devnet = await startDevnet({ chainId: 421614 });
  const publisher = devnetClient(devnet, 'publisher');
  app = (await deployApp(publisher, { name: 'mixed', files: { 'app.js': APP }, declaration: { runtime: 'node', entrypoint: 'app.js' } }))
    .address;
  await publishAppOrder(publisher, { app, price: 0n, volume: 100n });
  home = mkdtempSync(join(tmpdir(), 'confidant-mixed-'));
  mkdirSync(join(home, 'networks'), { recursive: true });
  writeFileSync(join(home, 'networks', 'local.json'), JSON.stringify(await localNetworkOf(devnet)));
}, 180_000);
afterAll(() => devnet?.stop());

/** `confidant --json <args>` as the requester, the way a user runs the CLI against `npm start`. */
function confidantAsRequester(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env['PATH'],
    NO_COLOR: '1',
    CONFIDANT_HOME: home,
    CONFIDANT_PRIVATE_KEY: devnet.chain.accounts.requester.privateKey,
  };
  return new Promise((resolve) => {
    // In the home folder: a run writes its result folder into the working directory.
    execFile(process.execPath, [CLI, '--json', ...args], { env, cwd: home, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const requester = () => devnet.chain.accounts.requester.address;
const noDatasetOrder = { cause: expect.objectContaining({ message: 'No Dataset order found for the desired price' }) };

describe("iExec's DataProtector client and Confidant on one network", () => {
  it("runs data protected with iExec's client from Confidant's CLI, and refuses it there once revoked", async () => {
    const iexecOwner = dataProtectorOn(devnet, 'dataOwner');
    const { address: dataset } = await iexecOwner.protectData({ data: { email: 'bob@example.com' }, name: 'bob' });

    const ungranted = await confidantAsRequester(['run', app, '--data', dataset]);
    expect(ungranted.code, ungranted.stdout).toBe(3);
    expect(JSON.parse(ungranted.stdout)).toMatchObject({ error: { message: expect.stringContaining('no grant of protected data') } });

    const granted = await iexecOwner.grantAccess({
      protectedData: dataset,
      authorizedApp: app,
      authorizedUser: requester(),
      numberOfAccess: 3,
    });
    const run = await confidantAsRequester(['run', app, '--data', dataset, '--args', 'from the CLI']);
    expect(run.code, run.stdout).toBe(0);
    const { taskId } = JSON.parse(run.stdout) as { taskId: string };
    expect(taskId).toMatch(/^0x[0-9a-f]{64}$/);
    // The same result, read back with iExec's client (Confidant's CLI encrypts results for its requester's key).
    const result = JSON.parse(run.stdout) as { files: { path: string }[] };
    expect(result.files.map((file) => file.path)).toContain('result.txt');

    await iexecOwner.revokeOneAccess(granted);
    await expect.poll(async () => (await confidantAsRequester(['run', app, '--data', dataset])).code, { timeout: 10_000 }).toBe(3);
  }, 180_000);

  it("runs data protected with Confidant's SDK with iExec's client; refuses it without a grant, once revoked and once expired", async () => {
    const owner = devnetClient(devnet, 'dataOwner');
    const { address: dataset } = await protectData(owner, { data: { email: 'carol@example.com' }, name: 'carol' });
    const iexecRequester = dataProtectorOn(devnet, 'requester');
    const process = (args?: string) =>
      iexecRequester.processProtectedData({
        protectedData: dataset,
        app,
        workerpool: devnet.chain.workerpool.address,
        args,
        path: 'result.txt',
      });

    // Found with iExec's client by its schema: registered through the DataProtector contract.
    await expect
      .poll(
        async () => (await iexecRequester.getProtectedData({ requiredSchema: { email: 'string' } })).map((d) => d.address.toLowerCase()),
        {
          timeout: 10_000,
        },
      )
      .toContain(dataset.toLowerCase());

    await expect(process()).rejects.toMatchObject(noDatasetOrder);

    const grant = await grantAccess(owner, { protectedData: dataset, authorizedApp: app, authorizedUser: requester(), numberOfAccess: 3 });
    const { result } = await process('with iExec');
    expect(new TextDecoder().decode(result)).toMatch(/^with iExec: \d+ bytes, zip true$/);

    await revokeOneAccess(owner, grant.hash);
    await expect
      .poll(
        () =>
          process().then(
            () => 'ran',
            (error: unknown) => error,
          ),
        { timeout: 10_000 },
      )
      .toMatchObject(noDatasetOrder);

    // A grant that expires (a Confidant term, kept by its API) is no longer served once past.
    await grantAccess(owner, {
      protectedData: dataset,
      authorizedApp: app,
      authorizedUser: requester(),
      expiresAt: new Date(Date.now() + 1_500),
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await expect(process()).rejects.toMatchObject(noDatasetOrder);
    const cli = await confidantAsRequester(['run', app, '--data', dataset]);
    expect(cli.code, cli.stdout).toBe(3);
  }, 180_000);
});
