import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Devnet, startDevnet } from '@confidant/devnet';
import { createConfidantClient, publishAppOrder } from '@confidant/sdk';
import { deployApp } from '@confidant/sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempHome, writeLocalNetwork } from './cli.js';

// The data owner's and the requester's stories, every command a subprocess of the built CLI, against
// a real local network started in this process (only the TEE simulated).

let devnet: Devnet;
let home: string;
let owner: Record<string, string>;
let requester: Record<string, string>;
let app: string;

const helloWorld = `
const { writeFileSync } = require('node:fs');
const out = process.env.IEXEC_OUT;
writeFileSync(out + '/result.txt', 'hello ' + (process.argv[2] || 'world'));
writeFileSync(out + '/computed.json', JSON.stringify({ 'deterministic-output-path': out + '/result.txt' }));
`;

beforeAll(async () => {
  devnet = await startDevnet();
  home = tempHome();
  await writeLocalNetwork(home, devnet);
  owner = { CONFIDANT_HOME: home, CONFIDANT_PRIVATE_KEY: devnet.chain.accounts.dataOwner.privateKey };
  requester = { CONFIDANT_HOME: home, CONFIDANT_PRIVATE_KEY: devnet.chain.accounts.requester.privateKey };
  const publisher = createConfidantClient({
    network: 'local',
    rpcUrl: devnet.chain.rpcUrl,
    addresses: devnet.chain.addresses,
    account: devnet.chain.accounts.publisher.privateKey,
    apiUrl: devnet.api.url,
    smsUrl: devnet.sms.url,
    ipfsApiUrl: devnet.storage.apiUrl,
    ipfsGatewayUrl: devnet.storage.gatewayUrl,
    workerUrl: devnet.worker.url,
    registryUrl: devnet.registry.url,
  });
  app = (
    await deployApp(publisher, { name: 'hello', files: { 'app.js': helloWorld }, declaration: { runtime: 'node', entrypoint: 'app.js' } })
  ).address;
  await publishAppOrder(publisher, { app: app as `0x${string}`, price: 0 });
}, 180_000);

afterAll(async () => {
  await devnet?.stop();
});

type Grant = {
  hash: string;
  protectedData: string;
  app: string;
  user: string;
  pricePerAccess: string;
  numberOfAccess: string;
  remainingAccess: string;
  revoked: boolean;
  expiresAt: string | null;
};

describe('the data owner', () => {
  it('protects, lists, grants, lists grants, revokes and transfers, all with --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confidant-data-'));
    const photo = join(dir, 'photo.bin');
    writeFileSync(photo, Buffer.from([0, 1, 2, 3, 255]));
    const protectedData = await cli(
      ['--json', 'protect', '{"email":"alice@example.com","age":42}', '--file', `photo=${photo}`, '--name', 'alice'],
      owner,
    );
    expect(protectedData.code, protectedData.stderr).toBe(0);
    const created = protectedData.json<{ address: string; name: string; owner: string; schema: Record<string, string> }>();
    expect(created).toMatchObject({
      name: 'alice',
      owner: devnet.chain.accounts.dataOwner.address,
      schema: { email: 'string', age: 'f64' },
    });
    expect(Object.keys(created.schema).sort()).toEqual(['age', 'email', 'photo']);
    const data = created.address;

    // The human form shows the steps and what to do next.
    const second = await cli(['protect', '{"email":"bob@example.com"}'], owner);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('Registering the protected data on chain');
    expect(second.stdout).toContain('Next: confidant grant');

    const mine = await cli(['--json', 'data', 'ls', '--schema', '{"photo":"application/octet-stream"}'], owner);
    expect(mine.code, mine.stderr).toBe(0);
    const listed = mine.json<{ address: string }[]>();
    expect(listed.map((item) => item.address)).toContain(data);

    const granted = await cli(
      [
        '--json',
        'grant',
        data,
        '--app',
        app,
        '--user',
        devnet.chain.accounts.requester.address,
        '--price',
        '0',
        '--uses',
        '3',
        '--expires',
        '7d',
      ],
      owner,
    );
    expect(granted.code, granted.stderr).toBe(0);
    const grant = granted.json<Grant>();
    expect(grant).toMatchObject({
      protectedData: data,
      app,
      user: devnet.chain.accounts.requester.address,
      numberOfAccess: '3',
      revoked: false,
    });
    expect(new Date(grant.expiresAt as string).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    const access = await cli(['--json', 'access', 'ls', data], owner);
    expect(access.code, access.stderr).toBe(0);
    expect(access.json<Grant[]>().map((g) => g.hash)).toEqual([grant.hash]);
    const byOwner = await cli(['--json', 'access', 'ls'], owner);
    expect(byOwner.json<Grant[]>().map((g) => g.hash)).toContain(grant.hash);

    const revoked = await cli(['--json', 'revoke', grant.hash], owner);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.json()).toMatchObject({ revoked: [{ hash: grant.hash }] });
    const after = await cli(['--json', 'access', 'ls', data], owner);
    expect(after.json<Grant[]>()).toEqual([]);

    // revoke --all: two grants, both revoked; without --all, a hint.
    for (const uses of ['1', '2']) expect((await cli(['grant', data, '--app', app, '--uses', uses], owner)).code).toBe(0);
    const needsAll = await cli(['revoke', data], owner);
    expect(needsAll.code).toBe(2);
    expect(needsAll.stderr).toContain(`confidant revoke ${data} --all`);
    const all = await cli(['--json', 'revoke', data, '--all'], owner);
    expect(all.code, all.stderr).toBe(0);
    expect(all.json<{ revoked: unknown[] }>().revoked).toHaveLength(2);

    const transferred = await cli(['--json', 'transfer', data, devnet.chain.accounts.requester.address], owner);
    expect(transferred.code, transferred.stderr).toBe(0);
    expect(transferred.json()).toMatchObject({ address: data, to: devnet.chain.accounts.requester.address });
    const theirs = await cli(['--json', 'data', 'ls', '--owner', devnet.chain.accounts.requester.address], owner);
    expect(theirs.json<{ address: string }[]>().map((item) => item.address)).toContain(data);
    // No longer the owner: granting is refused with exit 3.
    const refused = await cli(['--json', 'grant', data, '--app', app], owner);
    expect(refused.code).toBe(3);
    expect(refused.json<{ error: { hints: string[] } }>().error.hints.length).toBeGreaterThan(0);
  });

  it('wallet show prints the balances on the network', async () => {
    const shown = await cli(['--json', 'wallet', 'show'], owner);
    expect(shown.code, shown.stderr).toBe(0);
    const { address, balances } = shown.json<{
      address: string;
      balances: { network: string; eth: string; rlc: string; escrow: string };
    }>();
    expect(address).toBe(devnet.chain.accounts.dataOwner.address);
    expect(balances.network).toBe('local');
    expect(Number(balances.eth)).toBeGreaterThan(0);
    expect(BigInt(balances.rlc) + BigInt(balances.escrow)).toBeGreaterThan(0n);
  });
});

describe('the requester', () => {
  it('runs an app, writes the decrypted result to --out and prints it; task show, logs and result', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'confidant-out-')), 'result');
    const run = await cli(['--json', 'run', app, '--args', 'Confidant', '--out', out], requester);
    expect(run.code, run.stderr).toBe(0);
    const result = run.json<{ taskId: string; out: string; files: { path: string; bytes: number }[]; computed: Record<string, unknown> }>();
    expect(result.files.map((f) => f.path).sort()).toEqual(['computed.json', 'result.txt']);
    expect(readFileSync(join(out, 'result.txt'), 'utf8')).toBe('hello Confidant');
    expect(result.computed).toHaveProperty('deterministic-output-path');

    const human = await cli(['run', app, '--args', 'humans'], { ...requester }, { cwd: mkdtempSync(join(tmpdir(), 'confidant-cwd-')) });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('hello humans');
    expect(human.stdout).toMatch(/Result in \.\/confidant-result-[0-9a-f]{8}/);
    expect(human.stderr).toContain('Waiting for the task');

    const shown = await cli(['--json', 'task', 'show', result.taskId], requester);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.json()).toMatchObject({ taskId: result.taskId, status: 'COMPLETED' });

    // The worker files a task's logs a moment after the chain says COMPLETED.
    let logs = await cli(['--json', 'task', 'logs', result.taskId], requester);
    for (let i = 0; i < 50 && logs.code !== 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      logs = await cli(['--json', 'task', 'logs', result.taskId], requester);
    }
    expect(logs.code, logs.stdout + logs.stderr).toBe(0);
    expect(logs.json()).toMatchObject({ taskId: result.taskId, status: 'COMPLETED' });

    const again = join(out, '..', 'again');
    const fetched = await cli(['--json', 'task', 'result', result.taskId, '--out', again], requester);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(readFileSync(join(again, 'result.txt'), 'utf8')).toBe('hello Confidant');
  });

  it('--no-wait returns the task id at once; task result then decrypts it', async () => {
    const queued = await cli(['--json', 'run', app, '--args', 'later', '--no-wait'], requester);
    expect(queued.code, queued.stderr).toBe(0);
    const { taskId } = queued.json<{ taskId: string }>();
    let status = '';
    for (let i = 0; i < 150 && status !== 'COMPLETED'; i++) {
      status = (await cli(['--json', 'task', 'show', taskId], requester)).json<{ status: string }>().status;
      if (status !== 'COMPLETED') await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const out = mkdtempSync(join(tmpdir(), 'confidant-later-'));
    const fetched = await cli(['task', 'result', taskId, '--out', out], requester);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(readFileSync(join(out, 'result.txt'), 'utf8')).toBe('hello later');
  });

  it('an unknown app is exit 4 with what to check', async () => {
    const unknown = await cli(['--json', 'run', `0x${'ab'.repeat(20)}`], requester);
    expect(unknown.code).toBe(4);
    expect(unknown.json()).toMatchObject({
      error: { message: expect.stringContaining('is not a registered app'), hints: [expect.stringContaining('network')], exitCode: 4 },
    });
  });

  it('data not granted is exit 3 and says whom to ask', async () => {
    const data = (await cli(['--json', 'protect', '{"secret":"nobody may use this"}'], owner)).json<{ address: string }>().address;
    const refused = await cli(['run', app, '--data', data], requester);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`no grant of protected data ${data}`);
    expect(refused.stderr).toContain('confidant grant');
    expect(existsSync(join(home, 'result-keys'))).toBe(true);
  });
});
