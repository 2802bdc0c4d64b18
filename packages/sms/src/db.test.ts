import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSmsDb } from './db.js';
import { SmsDatabaseUnavailableError } from './errors.js';
import { secrets } from './schema.js';

describe('createSmsDb', () => {
  it('creates a nested PGlite directory, migrates it, and keeps rows across a reopen', async () => {
    const root = mkdtempSync(join(tmpdir(), 'confidant-sms-db-'));
    const dataDir = join(root, 'fresh', 'sms-db');
    try {
      const first = await createSmsDb({ dataDir });
      await first.db
        .insert(secrets)
        .values({ kind: 'web3', address: '0x01', name: '', ciphertext: new Uint8Array([1, 2, 3]), nonce: new Uint8Array(12) });
      await first.close();
      const second = await createSmsDb({ dataDir });
      const rows = await second.db.select().from(secrets);
      await second.close();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.ciphertext).toEqual(new Uint8Array([1, 2, 3]));
      expect(rows[0]?.ciphertext).toBeInstanceOf(Uint8Array);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a nonce that is not 12 bytes', async () => {
    const { db, close } = await createSmsDb();
    try {
      await expect(
        db.insert(secrets).values({ kind: 'web3', address: '0x02', name: '', ciphertext: new Uint8Array(20), nonce: new Uint8Array(8) }),
      ).rejects.toThrow();
    } finally {
      await close();
    }
  });

  it('says plainly when PostgreSQL is not there, without the password', async () => {
    const error = await createSmsDb({ url: 'postgres://user:s3cret@127.0.0.1:1/none' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsDatabaseUnavailableError);
    expect((error as SmsDatabaseUnavailableError).shortMessage).toBe(
      'the SMS database (postgres://user:***@127.0.0.1:1/none) could not be opened',
    );
    expect((error as Error).message).not.toContain('s3cret');
  });
});
