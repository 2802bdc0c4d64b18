import { createHash, randomBytes } from 'node:crypto';
import { AssetNotFoundError, NotAssetOwnerError } from '@confidant/contracts';
import { createReader, multiaddrToLocation } from '@confidant/protected-data';
import { decryptAes256Cbc } from '@confidant/protected-data/node';
import {
  getGrantedAccess,
  getProtectedData,
  grantAccess,
  InvalidArgumentError,
  protectData,
  type ProtectDataStatus,
  revokeAllAccess,
  revokeOneAccess,
  transferOwnership,
} from '@confidant/sdk';
import { type Address, zeroAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStory, untilIndexed } from './harness.js';

let story: Awaited<ReturnType<typeof startStory>>;
beforeAll(async () => {
  story = await startStory();
});
afterAll(async () => {
  await story?.devnet.stop();
});

const binary = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(5 * 1024 * 1024)]);
const data = {
  email: 'alice@example.com',
  age: 42.5,
  consent: true,
  balance: -(2n ** 90n),
  avatar: Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3),
  profile: { city: 'Lyon', scan: new Blob([binary]) },
};

describe('a data owner, from code', () => {
  let protectedData: Address;
  let app: Address;

  it('protects an object with every leaf type and a 5 MiB file, step by step', async () => {
    const owner = story.as('dataOwner');
    const statuses: ProtectDataStatus[] = [];
    const result = await protectData(owner, { data, name: 'alice profile', onStatusUpdate: (status) => statuses.push(status) });
    protectedData = result.address;
    expect(result.schema).toEqual({
      email: 'string',
      age: 'f64',
      consent: 'bool',
      balance: 'i128',
      avatar: 'image/png',
      profile: { city: 'string', scan: 'application/pdf' },
    });
    expect(result.owner).toBe(story.devnet.chain.accounts.dataOwner.address);
    expect(statuses.filter((s) => s.isDone).map((s) => s.title)).toEqual([
      'EXTRACT_DATA_SCHEMA',
      'CREATE_ZIP_FILE',
      'CREATE_ENCRYPTION_KEY',
      'ENCRYPT_FILE',
      'UPLOAD_ENCRYPTED_FILE',
      'DEPLOY_PROTECTED_DATA',
      'PUSH_SECRET_TO_SMS',
    ]);

    // What is stored is the ciphertext whose checksum is on chain; the SMS key opens it to our data.
    const location = multiaddrToLocation(result.multiaddr);
    if (location.kind !== 'ipfs') throw new Error('expected an IPFS multiaddr');
    const stored = new Uint8Array(await (await fetch(`${story.devnet.storage.gatewayUrl}${location.path}`)).arrayBuffer());
    expect(`0x${createHash('sha256').update(stored).digest('hex')}`).toBe(result.checksum);
    const key = await story.devnet.sms.readSecret('web3', result.address, '');
    expect(key).toBeTypeOf('string');
    const reader = createReader(decryptAes256Cbc(stored, key as string));
    expect(reader.getValue('email', 'string')).toBe('alice@example.com');
    expect(reader.getValue('balance', 'i128')).toBe(-(2n ** 90n));
    expect(reader.getValue('consent', 'bool')).toBe(true);
    expect(Buffer.from(reader.getValue('profile.scan', 'application/pdf')).equals(binary)).toBe(true);
    // No status carried the key.
    expect(JSON.stringify(statuses)).not.toContain(key as string);
  });

  it('finds it by owner, by address and by the schema an app requires', async () => {
    const owner = story.as('dataOwner');
    const me = story.devnet.chain.accounts.dataOwner.address;
    await untilIndexed(story.devnet, protectedData);
    expect((await getProtectedData(owner, { owner: me })).map((p) => p.address)).toContain(protectedData);
    expect((await getProtectedData(owner, { protectedDataAddress: protectedData }))[0]?.name).toBe('alice profile');
    expect(
      (await getProtectedData(owner, { requiredSchema: { email: 'string', profile: { scan: 'application/pdf' } } })).map((p) => p.address),
    ).toContain(protectedData);
    expect((await getProtectedData(owner, { requiredSchema: { phone: 'string' } })).map((p) => p.address)).not.toContain(protectedData);
    expect(await getProtectedData(owner, { protectedDataAddress: zeroAddress })).toEqual([]);
  });

  it('grants an app to one user, sees the grant, revokes it, and sees it gone', async () => {
    const owner = story.as('dataOwner');
    app = await story.deployApp();
    const requester = story.devnet.chain.accounts.requester.address;
    const expiresAt = new Date(Date.now() + 3_600_000);
    const grant = await grantAccess(owner, {
      protectedData,
      authorizedApp: app,
      authorizedUser: requester,
      pricePerAccess: 2_000_000n,
      numberOfAccess: 3,
      expiresAt,
    });
    expect(grant).toMatchObject({
      protectedData,
      app,
      user: requester,
      pricePerAccess: 2_000_000n,
      numberOfAccess: 3n,
      remainingAccess: 3n,
      revoked: false,
    });
    expect(grant.expiresAt?.getTime()).toBe(expiresAt.getTime());

    const grants = await getGrantedAccess(owner, { protectedData });
    expect(grants.map((g) => [g.hash, g.remainingAccess])).toEqual([[grant.hash, 3n]]);
    expect((await getGrantedAccess(owner, { authorizedApp: app, authorizedUser: requester })).map((g) => g.hash)).toContain(grant.hash);

    const revoked = await revokeOneAccess(owner, grants[0]!);
    expect(revoked.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await getGrantedAccess(owner, { protectedData })).toEqual([]);
    const closed = await getGrantedAccess(owner, { protectedData, includeRevoked: true });
    expect(closed.map((g) => [g.hash, g.remainingAccess])).toEqual([[grant.hash, 0n]]);
  });

  it('refuses in plain words: an app that does not exist, data that is not yours, bad arguments', async () => {
    const owner = story.as('dataOwner');
    const notAnApp = '0x000000000000000000000000000000000000dEaD';
    await expect(grantAccess(owner, { protectedData, authorizedApp: notAnApp })).rejects.toThrow(AssetNotFoundError);
    await expect(grantAccess(owner, { protectedData, authorizedApp: notAnApp })).rejects.toThrow(`app ${notAnApp} is not a registered app`);
    await expect(grantAccess(story.as('requester'), { protectedData, authorizedApp: app })).rejects.toThrow(NotAssetOwnerError);
    await expect(grantAccess(story.as('requester'), { protectedData, authorizedApp: app })).rejects.toThrow(
      `not the owner of dataset ${protectedData}`,
    );
    await expect(grantAccess(owner, { protectedData, authorizedApp: app, numberOfAccess: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(grantAccess(owner, { protectedData, authorizedApp: app, expiresAt: new Date(Date.now() - 1000) })).rejects.toThrow(
      'expiresAt must be a date in the future',
    );
    await expect(grantAccess(owner, { protectedData: 'nope' as Address, authorizedApp: app })).rejects.toThrow(
      'protectedData must be a 0x-prefixed 20-byte address',
    );
    await expect(protectData(owner, { data: { 'bad key': 'x' } })).rejects.toThrow('cannot protect "bad key"');
  });

  it('transfers ownership: the new owner can grant and revoke, the old one can no longer', async () => {
    const oldOwner = story.as('dataOwner');
    const newOwner = story.as('requester');
    const to = story.devnet.chain.accounts.requester.address;
    const transfer = await transferOwnership(oldOwner, { protectedData, newOwner: to });
    expect(transfer.to).toBe(to);

    await expect(grantAccess(oldOwner, { protectedData, authorizedApp: app })).rejects.toThrow(NotAssetOwnerError);
    await expect(transferOwnership(oldOwner, { protectedData, newOwner: to })).rejects.toThrow(NotAssetOwnerError);

    const first = await grantAccess(newOwner, { protectedData, authorizedApp: app, numberOfAccess: 2 });
    const second = await grantAccess(newOwner, { protectedData, authorizedApp: app });
    expect((await getGrantedAccess(newOwner, { protectedData })).map((g) => g.hash).sort()).toEqual([first.hash, second.hash].sort());
    await expect(revokeOneAccess(oldOwner, first)).rejects.toThrow(NotAssetOwnerError);

    const steps: string[] = [];
    const revoked = await revokeAllAccess(newOwner, { protectedData, onStatusUpdate: (s) => steps.push(`${s.title}:${s.isDone}`) });
    expect(revoked).toHaveLength(2);
    expect(steps).toEqual([
      'RETRIEVE_ALL_GRANTED_ACCESS:false',
      'RETRIEVE_ALL_GRANTED_ACCESS:true',
      'REVOKE_ONE_ACCESS:false',
      'REVOKE_ONE_ACCESS:true',
      'REVOKE_ONE_ACCESS:false',
      'REVOKE_ONE_ACCESS:true',
    ]);
    expect(await getGrantedAccess(newOwner, { protectedData })).toEqual([]);
  });
});
