import { constants, createCipheriv, publicEncrypt, randomBytes } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';
import { type CryptoProvider, ResultDecryptionError, TooLargeError, writeZip } from '@confidant/protected-data';
import { webCrypto } from '@confidant/protected-data/browser';
import { platformCrypto } from '@confidant/protected-data/platform';
import { type Hex, stringToHex } from 'viem';
import { describe, expect, it } from 'vitest';
import type { ConfidantClient } from '../client.js';
import { generateResultKeyPair, useResultKeyPair } from '../internal/resultKey.js';
import { getResultFromCompletedTask } from './getResultFromCompletedTask.js';

const taskId = `0x${'ab'.repeat(32)}` as Hex;
const cid = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o';

/** A client whose chain says the task completed with its result at /ipfs/<cid>, and whose storage holds `archive`. */
function clientWith(archive: Uint8Array, crypto: CryptoProvider): ConfidantClient {
  const task = { status: 3, results: stringToHex(JSON.stringify({ storage: 'ipfs', location: `/ipfs/${cid}` })) };
  return {
    poco: { addresses: { poco: `0x${'00'.repeat(20)}` }, publicClient: { readContract: async () => task } },
    storage: {
      upload: async () => cid,
      download: async (asked: string) => {
        expect(asked).toBe(cid);
        return (async function* () {
          yield archive.subarray(0, 100);
          yield archive.subarray(100);
        })();
      },
    },
    crypto,
  } as unknown as ConfidantClient;
}

/** A ZIP of DEFLATE entries, as Java's ZipOutputStream (iExec's workers) writes them in essence. */
function deflatedZip(files: Record<string, string | Uint8Array>): Uint8Array {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [path, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
    const compressed = deflateRawSync(data);
    const name = Buffer.from(path);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, directory, end]));
}

/** Encrypts a result zip for `publicKeyBase64` as iExec's post-compute does, zipped as its workers do (deflated, in a folder). */
function iexecEncrypted(inner: Uint8Array, publicKeyBase64: string): Uint8Array {
  const aesKey = randomBytes(32);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', aesKey, iv);
  const wrapped = publicEncrypt({ key: Buffer.from(publicKeyBase64, 'base64').toString(), padding: constants.RSA_PKCS1_PADDING }, aesKey);
  const encrypted = Buffer.concat([iv, cipher.update(inner), cipher.final()]);
  return deflatedZip({ 'encrypted-0xtask/iexec_out.zip.aes': encrypted, 'encrypted-0xtask/aes-key.rsa': wrapped.toString('base64') });
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describe('getResultFromCompletedTask', () => {
  for (const [name, crypto] of [
    ['Node', platformCrypto],
    ['WebCrypto', webCrypto],
  ] as const) {
    it(`decrypts a result as iExec's workers write it — deflated, in a folder, its zip deflated — with the client's key (${name})`, async () => {
      const pair = await generateResultKeyPair();
      const inner = deflatedZip({
        'result.txt': 'secret result',
        'computed.json': '{"deterministic-output-path":"/iexec_out/result.txt"}',
      });
      const client = clientWith(iexecEncrypted(inner, pair.publicKeyBase64), crypto);
      useResultKeyPair(client, pair);
      const statuses: string[] = [];
      const result = await getResultFromCompletedTask(client, {
        taskId,
        onStatusUpdate: ({ title, isDone }) => statuses.push(`${title}:${isDone}`),
      });
      expect(text(result.files['result.txt'])).toBe('secret result');
      expect(result.computed).toEqual({ 'deterministic-output-path': '/iexec_out/result.txt' });
      expect(statuses).toEqual([
        'CONSUME_RESULT_DOWNLOAD:false',
        'CONSUME_RESULT_DOWNLOAD:true',
        'CONSUME_RESULT_DECRYPT:false',
        'CONSUME_RESULT_DECRYPT:true',
      ]);

      const other = await generateResultKeyPair();
      await expect(getResultFromCompletedTask(client, { taskId, resultKey: other })).rejects.toThrow(ResultDecryptionError);
    });
  }

  it('reads a result that is not encrypted as it is, without decrypting, within the limits asked', async () => {
    const client = clientWith(
      writeZip([
        { path: 'out/', data: new Uint8Array(0), folder: true },
        { path: 'out/result.txt', data: new TextEncoder().encode('plain '.repeat(100)) },
      ]),
      webCrypto,
    );
    const statuses: string[] = [];
    const result = await getResultFromCompletedTask(client, {
      taskId,
      onStatusUpdate: ({ title, isDone }) => statuses.push(`${title}:${isDone}`),
    });
    expect(Object.keys(result.files)).toEqual(['out/result.txt']);
    expect(result.computed).toBeUndefined();
    expect(statuses).toEqual(['CONSUME_RESULT_DOWNLOAD:false', 'CONSUME_RESULT_DOWNLOAD:true']);
    await expect(getResultFromCompletedTask(client, { taskId, limits: { maxEntrySize: 100 } })).rejects.toThrow(TooLargeError);
  });
});
