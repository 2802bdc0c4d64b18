import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStorage, type DevnetStorage } from '../src/storage.js';
import { kuboReferenceAdd } from './kuboReference.js';
import { kuboVectors } from './kuboVectors.js';
import { addBlob, pseudoRandomBytes } from './storageClient.js';

let storage: DevnetStorage;
beforeAll(async () => {
  storage = await startStorage();
});
afterAll(() => storage.stop());

describe('the storage names files as kubo does', () => {
  it.each(kuboVectors)('$what → $cid', async ({ content, query, cid }) => {
    const added = await addBlob(storage, content, query);
    expect(added.status).toBe(200);
    expect(added.json).toMatchObject({ Name: 'blob', Hash: cid });
    expect(added.text.endsWith('}\n')).toBe(true);
  });

  it('answers the DAG size as kubo does, as a string', async () => {
    // A single-block file's DAG is its block: PBNode { Data: UnixFS { File, "hello world\n", 12 } }, 20 bytes.
    expect((await addBlob(storage, 'hello world\n')).json).toEqual({
      Name: 'blob',
      Hash: 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o',
      Size: '20',
    });
  });

  it('cuts 256 KiB chunks by default: a file of 1 MiB and a byte has the reference CID', async () => {
    const content = [...pseudoRandomBytes(1_048_577)];
    const expected = kuboReferenceAdd(content);
    const added = await addBlob(storage, Buffer.concat(content));
    expect(added.json).toEqual({ Name: 'blob', Hash: expected.cid, Size: String(expected.size) });
  });

  it('gives the same CID again for the same file, and for a file of one repeated chunk', async () => {
    const zeros = new Uint8Array(5 * 262_144);
    const expected = kuboReferenceAdd([zeros]);
    const [first, second] = await Promise.all([addBlob(storage, zeros), addBlob(storage, zeros)]);
    expect(first.json).toMatchObject({ Hash: expected.cid, Size: String(expected.size) });
    expect(second.json).toEqual(first.json);
  });
});

describe('the reference encoder the tests compare with', () => {
  it.each(kuboVectors.filter((vector) => !vector.query.includes('cid-version=1')))(
    "gives kubo's CID for $what",
    ({ content, chunkSize, cid }) => {
      expect(kuboReferenceAdd([Buffer.from(content)], chunkSize).cid).toBe(cid);
    },
  );

  it('gives kubo\'s DAG size for "hello world\\n" and the empty file', () => {
    expect(kuboReferenceAdd([Buffer.from('hello world\n')]).size).toBe(20);
    expect(kuboReferenceAdd([]).size).toBe(6);
  });
});
