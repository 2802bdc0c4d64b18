import { createHash, generateKeyPairSync, publicEncrypt, constants, randomBytes, createCipheriv } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CryptoProvider, decryptResult, readResult, type ResultPrivateKey, type RsaPrivateJwk } from '@confidant/protected-data';
import { webCrypto } from '@confidant/protected-data/browser';
import { nodeCrypto } from '@confidant/protected-data/node';
import JSZip from 'jszip';
import { keccak256 } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { createEnclaveKeys } from '../attestation.js';
import { ResultDecryptionError, TaskSecretsError } from '../errors.js';
import { sealToEnclave } from '../seal.js';
import { splitArgs } from './args.js';
import { computeResultDigest, readComputed, zipOutput } from './postCompute.js';
import { encryptResult } from './resultEncryption.js';
import { openTaskSecrets } from './secrets.js';
import { resolveLocation } from './storage.js';

const root = mkdtempSync(join(tmpdir(), 'confidant-units-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const sha = (text: string) => createHash('sha256').update(text).digest();

describe('splitArgs', () => {
  it('splits as a shell would, without expansion', () => {
    expect(splitArgs(`a  b\t"c d" 'e "f"' g\\ h "i\\"j" $HOME ''`)).toEqual(['a', 'b', 'c d', 'e "f"', 'g h', 'i"j', '$HOME', '']);
    expect(splitArgs('')).toEqual([]);
    expect(() => splitArgs('"open')).toThrow('unclosed " quote');
  });
});

describe('result digest (as iExec post-compute)', () => {
  it('file: sha256; folder: keccak256 of the sorted direct children sha256; callback: keccak256 of the bytes', async () => {
    const out = mkdtempSync(join(root, 'out-'));
    writeFileSync(join(out, 'result.txt'), 'hello');
    mkdirSync(join(out, 'folder/sub'), { recursive: true });
    writeFileSync(join(out, 'folder/b.txt'), 'B');
    writeFileSync(join(out, 'folder/a.txt'), 'A');
    writeFileSync(join(out, 'folder/empty'), '');
    expect(await computeResultDigest(out, { deterministicOutputPath: '/iexec_out/result.txt' })).toBe(`0x${sha('hello').toString('hex')}`);
    expect(await computeResultDigest(out, { deterministicOutputPath: join(out, 'folder') })).toBe(
      keccak256(Buffer.concat([sha('A'), sha('B')])),
    );
    expect(await computeResultDigest(out, { callbackData: '0x1234' })).toBe(keccak256('0x1234'));
    await expect(computeResultDigest(out, { deterministicOutputPath: 'folder/empty' })).rejects.toThrow('is empty');
    await expect(computeResultDigest(out, { deterministicOutputPath: '../../etc/passwd' })).rejects.toThrow();
  });

  it('reads computed.json strictly', async () => {
    const out = mkdtempSync(join(root, 'out-'));
    writeFileSync(join(out, 'computed.json'), '{"callback-data":"0xzz"}');
    await expect(readComputed(out)).rejects.toThrow('"callback-data" in computed.json is not 0x-prefixed hex bytes');
    writeFileSync(join(out, 'computed.json'), '[]');
    await expect(readComputed(out)).rejects.toThrow('not a JSON object');
    writeFileSync(join(out, 'computed.json'), '{"deterministic-output-path":"/iexec_out/r","callback-data":"0xab"}');
    expect(await readComputed(out)).toEqual({ deterministicOutputPath: '/iexec_out/r', callbackData: '0xab' });
  });
});

describe('result encryption', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  /** The beneficiary's side: the one decryption, in @confidant/protected-data. */
  const decrypt = (archive: Uint8Array, key: ResultPrivateKey = privatePem, crypto: CryptoProvider = nodeCrypto) =>
    decryptResult(archive, { privateKey: key, crypto });

  it('round-trips, with the public key as PEM or base64 of PEM; another key cannot open it', async () => {
    const zip = new Uint8Array(randomBytes(1000));
    expect(await decrypt(encryptResult(zip, publicPem))).toEqual(zip);
    expect(await decrypt(encryptResult(zip, Buffer.from(publicPem).toString('base64')))).toEqual(zip);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(decrypt(encryptResult(zip, publicPem), other)).rejects.toThrow(ResultDecryptionError);
    expect(() =>
      encryptResult(zip, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    ).toThrow(TaskSecretsError);
  });

  it("opens an archive shaped as iExec's workers make it: deflated, in a folder", async () => {
    const zip = new Uint8Array(randomBytes(100));
    const aesKey = randomBytes(32);
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-cbc', aesKey, iv);
    const outer = new JSZip();
    outer.file('encrypted-0xtask/iexec_out.zip.aes', Buffer.concat([iv, cipher.update(zip), cipher.final()]));
    outer.file(
      'encrypted-0xtask/aes-key.rsa',
      publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, aesKey).toString('base64'),
    );
    const bytes = await outer.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    expect(await decrypt(bytes)).toEqual(zip);
  });

  it('what the enclave encrypts, the SDK reads in Node and in browsers, with a key made as the SDK makes it — DEFLATE result zips too', async () => {
    // The SDK's key pair: WebCrypto RSA, the public half as base64 of its SPKI PEM (what the SMS holds), the private one a JWK.
    const pair = await globalThis.crypto.subtle.generateKey(
      { name: 'RSA-OAEP', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' },
      true,
      ['encrypt', 'decrypt'],
    );
    const spki = Buffer.from(await globalThis.crypto.subtle.exportKey('spki', pair.publicKey)).toString('base64');
    const publicKeyBase64 = Buffer.from(
      `-----BEGIN PUBLIC KEY-----\n${spki.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PUBLIC KEY-----\n`,
    ).toString('base64');
    const jwk = (await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey)) as RsaPrivateJwk;

    const out = mkdtempSync(join(root, 'out-'));
    mkdirSync(join(out, 'charts'));
    writeFileSync(join(out, 'result.txt'), 'secret result');
    writeFileSync(join(out, 'charts/data.csv'), 'a,b\n1,2\n'.repeat(200));
    const ours = await zipOutput(out);
    const deflated = new JSZip();
    deflated.file('result.txt', 'secret result');
    deflated.file('charts/data.csv', 'a,b\n1,2\n'.repeat(200));
    const theirs = await deflated.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });

    for (const [name, crypto] of [
      ['Node', nodeCrypto],
      ['WebCrypto', webCrypto],
    ] as const) {
      for (const inner of [ours, theirs]) {
        const { files, encrypted } = await readResult(encryptResult(inner, publicKeyBase64), { privateKey: jwk, crypto });
        expect(encrypted, name).toBe(true);
        expect(new TextDecoder().decode(files.get('result.txt')), name).toBe('secret result');
        expect(new TextDecoder().decode(files.get('charts/data.csv')), name).toBe('a,b\n1,2\n'.repeat(200));
      }
    }
  });
});

describe('task secrets', () => {
  it('opens the sealed box and refuses malformed fields without quoting values', () => {
    const keys = createEnclaveKeys();
    const taskId = `0x${'01'.repeat(32)}` as const;
    const good = sealToEnclave(
      keys.encryptionPublicKey,
      JSON.stringify({ datasetKey: Buffer.alloc(32).toString('base64'), requesterSecrets: { '1': 'v' } }),
      taskId,
    );
    expect(openTaskSecrets(keys, good, taskId)).toMatchObject({ requesterSecrets: { '1': 'v' } });
    const bad = sealToEnclave(
      keys.encryptionPublicKey,
      JSON.stringify({ datasetKey: 'not base64 !!', requesterSecrets: { zero: 'SECRET-VALUE' } }),
      taskId,
    );
    let message = '';
    try {
      openTaskSecrets(keys, bad, taskId);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('these fields are malformed: datasetKey, requesterSecrets.zero');
    expect(message).not.toContain('SECRET-VALUE');
  });
});

describe('resolveLocation', () => {
  it('reads multiaddrs, /ipfs/ paths and URLs', () => {
    expect(resolveLocation('/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o', 'http://gw/')).toBe(
      'http://gw/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o',
    );
    expect(resolveLocation(`0x${Buffer.from('https://example.com/data').toString('hex')}`, 'http://gw')).toBe('https://example.com/data');
    expect(() => resolveLocation('file:///etc/passwd', 'http://gw')).toThrow('neither an IPFS path nor an http(s) URL');
  });
});
