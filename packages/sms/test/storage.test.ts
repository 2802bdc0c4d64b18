import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSecretChallenge, requesterSecretChallenge, web2SecretChallenge, web3SecretChallenge } from '../src/challenges.js';
import { createSmsDb } from '../src/db.js';
import { InvalidMasterKeyError, MasterKeyMismatchError, SecretUnreadableError } from '../src/errors.js';
import { secrets } from '../src/schema.js';
import { startSms } from '../src/startSms.js';
import { type Harness, randomKey, sign, startHarness } from './harness.js';

let h: Harness;
let dataset: `0x${string}`;
let app: `0x${string}`;
const datasetKey = randomKey();
const web2Value = `web2-${randomBytes(12).toString('hex')}`;
const requesterValue = `requester-${randomBytes(12).toString('hex')}`;
const appValue = `app-${randomBytes(12).toString('hex')}`;

beforeAll(async () => {
  h = await startHarness();
  const { dataOwner, requester, publisher } = h.chain.accounts;
  [dataset, app] = await Promise.all([h.createDataset(), h.createApp()]);
  const pushes = [
    {
      path: `/secrets/web3?secretAddress=${dataset}`,
      value: datasetKey,
      authorization: await sign(dataOwner, web3SecretChallenge({ secretAddress: dataset, value: datasetKey })),
    },
    {
      path: `/secrets/web2?ownerAddress=${requester.address}&secretName=token`,
      value: web2Value,
      authorization: await sign(requester, web2SecretChallenge({ ownerAddress: requester.address, secretName: 'token', value: web2Value })),
    },
    {
      path: `/requesters/${requester.address}/secrets/key`,
      value: requesterValue,
      authorization: await sign(
        requester,
        requesterSecretChallenge({ requesterAddress: requester.address, secretKey: 'key', value: requesterValue }),
      ),
    },
    {
      path: `/apps/${app}/secrets`,
      value: appValue,
      authorization: await sign(publisher, appSecretChallenge({ appAddress: app, value: appValue })),
    },
  ];
  for (const push of pushes)
    expect((await h.send(push.path, { method: 'POST', body: push.value, authorization: push.authorization })).status).toBe(204);
});
afterAll(() => h?.stop());

/** Every file under a directory, read whole. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, bytes: readFileSync(path) }));
}

describe('secrets at rest', () => {
  it('survive a restart on the same data directory', async () => {
    const sms = await h.restart();
    const { requester } = h.chain.accounts;
    expect((await h.send(`/secrets/web3?secretAddress=${dataset}`, { method: 'HEAD' })).status).toBe(204);
    expect((await h.send(`/apps/${app}/secrets`, { method: 'HEAD' })).status).toBe(204);
    expect(await sms.readSecret('web3', dataset)).toBe(datasetKey);
    expect(await sms.readSecret('web2', requester.address, 'token')).toBe(web2Value);
    expect(await sms.readSecret('requester', requester.address, 'key')).toBe(requesterValue);
    expect(await sms.readSecret('app', app)).toBe(appValue);
    expect(await sms.readSecret('requester', requester.address, 'missing')).toBeUndefined();
  });

  it('are nowhere in plaintext: not in the rows, not in the database files', async () => {
    await h.sms.stop();
    const plaintexts = [datasetKey, web2Value, requesterValue, appValue].map((value) => Buffer.from(value, 'utf8'));
    const needles = [...plaintexts, Buffer.from(datasetKey, 'base64')];

    const database = await createSmsDb({ dataDir: h.dataDir });
    const rows = await database.db.select().from(secrets);
    await database.close();
    expect(rows.map((row) => row.kind).sort()).toEqual(['app', 'requester', 'web2', 'web3']);
    for (const row of rows) {
      const raw = Buffer.concat([Buffer.from(row.ciphertext), Buffer.from(row.nonce), Buffer.from(`${row.kind}${row.address}${row.name}`)]);
      for (const needle of needles) expect(raw.includes(needle)).toBe(false);
      expect(row.nonce).toHaveLength(12);
    }

    const files = filesUnder(h.dataDir);
    // The search can succeed: the (public) dataset address is stored as plain text somewhere.
    expect(files.some((file) => file.bytes.includes(Buffer.from(dataset.toLowerCase())))).toBe(true);
    for (const file of files)
      for (const needle of needles)
        expect({ file: file.path, found: file.bytes.includes(needle) }).toEqual({ file: file.path, found: false });
    await h.restart();
  });

  it('cannot be swapped between rows: a moved ciphertext no longer opens', async () => {
    await h.sms.stop();
    const database = await createSmsDb({ dataDir: h.dataDir });
    const [web2Row] = await database.db.select().from(secrets).where(eq(secrets.kind, 'web2'));
    await database.db.update(secrets).set({ ciphertext: web2Row!.ciphertext, nonce: web2Row!.nonce }).where(eq(secrets.kind, 'requester'));
    await database.close();
    const sms = await h.restart();
    await expect(sms.readSecret('requester', h.chain.accounts.requester.address, 'key')).rejects.toThrow(SecretUnreadableError);
    expect(await sms.readSecret('web2', h.chain.accounts.requester.address, 'token')).toBe(web2Value);
  });
});

describe('the master key', () => {
  it('must be the one the database was created with', async () => {
    await h.sms.stop();
    const start = startSms({
      network: 'local',
      rpcUrl: h.chain.rpcUrl,
      addresses: h.chain.addresses,
      masterKey: randomBytes(32),
      dataDir: h.dataDir,
      rateLimit: false,
    });
    await expect(start).rejects.toThrow(MasterKeyMismatchError);
    await expect(start).rejects.toThrow('the SMS database was created with another master key');
    // The refused start closed the database: the right key opens it again.
    const sms = await h.restart();
    expect(await sms.readSecret('web3', dataset)).toBe(datasetKey);
  });

  it('is required and must be 32 bytes: a typed error before anything starts', async () => {
    const base = { network: 'local' as const, rpcUrl: h.chain.rpcUrl, addresses: h.chain.addresses, dataDir: h.dataDir };
    await expect(startSms({ ...base, masterKey: undefined as unknown as string })).rejects.toThrow(InvalidMasterKeyError);
    await expect(startSms({ ...base, masterKey: '' })).rejects.toThrow('the SMS master key is missing');
    await expect(startSms({ ...base, masterKey: randomBytes(16) })).rejects.toThrow('the SMS master key is 16 bytes long, not 32');
    await expect(startSms({ ...base, masterKey: randomBytes(31).toString('base64') })).rejects.toThrow(InvalidMasterKeyError);
    // Still running, untouched (the refused starts never opened its directory).
    expect((await h.send(`/secrets/web3?secretAddress=${dataset}`, { method: 'HEAD' })).status).toBe(204);
  });
});
