import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, getEscrowBalance, getTask, type PocoWalletClient } from '@confidant/contracts';
import {
  getGrantedAccess,
  getTaskLogs,
  grantAccess,
  NoMatchingOrderError,
  processProtectedData,
  protectData,
  publishAppOrder,
  revokeOneAccess,
} from '@confidant/sdk';
import { deployApp } from '@confidant/sdk/node';
import type { Address, Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStory } from './harness.js';

// Everything real on loopback — chain, storage, SMS, API, worker, enclave runtime — only the TEE simulated.
let story: Awaited<ReturnType<typeof startStory>>;
beforeAll(async () => {
  story = await startStory();
});
afterAll(async () => {
  await story?.devnet.stop();
});

const pythonHelper = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages', 'enclave', 'python', 'confidant_enclave.py'),
  'utf8',
);

const helloWorld = `
const { writeFileSync } = require('node:fs');
const out = process.env.IEXEC_OUT;
writeFileSync(out + '/result.txt', 'hello ' + (process.argv[2] || 'world'));
writeFileSync(out + '/computed.json', JSON.stringify({ 'deterministic-output-path': out + '/result.txt' }));
`;

const countEmail = `
import confidant_enclave as enclave
email = enclave.get_value("email", "string")
enclave.write_result_file("count.txt", str(len(email)))
enclave.write_computed_json(deterministic_output_path="count.txt")
`;

const escrow = async (role: 'publisher' | 'dataOwner' | 'requester') =>
  (await getEscrowBalance(story.devnet.chain.client(), { account: story.devnet.chain.accounts[role].address })).balance;

describe('running an iApp on protected data', () => {
  let emailApp: Address;
  let protectedData: Address;

  it('runs a hello-world iApp (JavaScript, no protected data) and returns the decrypted result', async () => {
    const publisher = story.as('publisher');
    const app = await deployApp(publisher, {
      name: 'hello',
      files: { 'app.js': helloWorld },
      declaration: { runtime: 'node', entrypoint: 'app.js' },
    });
    await publishAppOrder(publisher, { app: app.address, price: 0 });
    const steps: string[] = [];
    const run = await processProtectedData(story.as('requester'), {
      app: app.address,
      args: 'Confidant',
      timeoutMs: 60_000,
      onStatusUpdate: (s) => s.isDone && steps.push(s.title),
    });
    expect(new TextDecoder().decode(run.result?.files['result.txt'])).toBe('hello Confidant');
    expect(steps).toEqual([
      'FETCH_ORDERS',
      'PUSH_ENCRYPTION_KEY',
      'REQUEST_TO_PROCESS_PROTECTED_DATA',
      'CONSUME_TASK',
      'CONSUME_RESULT_DOWNLOAD',
      'CONSUME_RESULT_DECRYPT',
    ]);
  });

  it('counts the characters of my email field (Python) and pays the publisher and the data owner exactly', async () => {
    const publisher = story.as('publisher');
    const owner = story.as('dataOwner');
    const requester = story.as('requester');
    emailApp = (
      await deployApp(publisher, {
        name: 'count-email',
        files: { 'app.py': countEmail, 'confidant_enclave.py': pythonHelper },
        declaration: { runtime: 'python', entrypoint: 'app.py' },
      })
    ).address;
    await publishAppOrder(publisher, { app: emailApp, price: 5 });
    protectedData = (await protectData(owner, { data: { email: 'alice@example.com' } })).address;
    await grantAccess(owner, {
      protectedData,
      authorizedApp: emailApp,
      authorizedUser: story.devnet.chain.accounts.requester.address,
      pricePerAccess: 7,
      numberOfAccess: 2,
    });

    const before = { publisher: await escrow('publisher'), dataOwner: await escrow('dataOwner'), requester: await escrow('requester') };
    const run = await processProtectedData(requester, {
      app: emailApp,
      protectedData,
      maxPrices: { app: 5, protectedData: 7 },
      timeoutMs: 60_000,
    });
    expect(new TextDecoder().decode(run.result?.files['count.txt'])).toBe(String('alice@example.com'.length));
    expect((await getTask(story.devnet.chain.client(), { taskId: run.taskId })).status).toBe('COMPLETED');
    // The workerpool is free; the app and the data are paid from the requester's escrow.
    expect(await escrow('publisher')).toBe(before.publisher + 5n);
    expect(await escrow('dataOwner')).toBe(before.dataOwner + 7n);
    expect(await escrow('requester')).toBe(before.requester - 12n);
  });

  it('refuses a requester without a grant, and a revoked grant, before anything runs', async () => {
    // The publisher has no grant on this data.
    await expect(
      processProtectedData(story.as('publisher'), { app: emailApp, protectedData, maxPrices: { app: 5, protectedData: 7 } }),
    ).rejects.toThrow(NoMatchingOrderError);
    const owner = story.as('dataOwner');
    for (const grant of await getGrantedAccess(owner, { protectedData })) await revokeOneAccess(owner, grant);
    await expect(
      processProtectedData(story.as('requester'), { app: emailApp, protectedData, maxPrices: { app: 5, protectedData: 7 } }),
    ).rejects.toThrow(`no grant of protected data ${protectedData}`);
  });

  it('an app whose image is not the registered one never gets the key: the task fails with the reason in its logs', async () => {
    const publisher = story.as('publisher');
    const genuine = await deployApp(publisher, {
      name: 'genuine',
      files: { 'app.py': countEmail, 'confidant_enclave.py': pythonHelper },
      declaration: { runtime: 'python', entrypoint: 'app.py' },
    });
    // The same image reference, another digest on chain: the worker pulls by the registered digest only.
    const wallet = story.devnet.chain.client('publisher') as PocoWalletClient;
    const { address: tampered } = await createApp(wallet, {
      name: 'tampered',
      type: 'DOCKER',
      multiaddr: genuine.image,
      checksum: `0x${'ee'.repeat(32)}`,
    });
    await publishAppOrder(publisher, { app: tampered, price: 0 });
    const owner = story.as('dataOwner');
    const data = (await protectData(owner, { data: { email: 'bob@example.com' } })).address;
    await grantAccess(owner, { protectedData: data, authorizedApp: tampered });
    const run = await processProtectedData(story.as('requester'), { app: tampered, protectedData: data, waitForResult: false });

    const logs = await waitForLogs(run.taskId);
    expect(logs.status).toBe('FAILED');
    expect(logs.cause?.toLowerCase()).toContain(`the image ${genuine.image} of app ${tampered}`.toLowerCase());
    expect(logs.cause).toContain('could not be pulled by its digest');
    expect(logs.cause).toContain(`sha256:${'e'.repeat(64)}`);
    expect((await getTask(story.devnet.chain.client(), { taskId: run.taskId })).status).toBe('ACTIVE');
    const key = await story.devnet.sms.readSecret('web3', data);
    expect(logs.logs).not.toContain(key as string);
    // Only the requester reads them.
    await expect(getTaskLogs(story.as('dataOwner'), { taskId: run.taskId })).rejects.toThrow("Only the task's requester can read its logs");
  });
});

/** The task's logs as its requester reads them from the worker, once the worker has finished with it. */
async function waitForLogs(taskId: Hex) {
  for (let i = 0; i < 300; i++) {
    const logs = await getTaskLogs(story.as('requester'), { taskId }).catch(() => undefined);
    if (logs && (logs.status === 'FAILED' || logs.status === 'COMPLETED')) return logs;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the worker never finished task ${taskId}`);
}
