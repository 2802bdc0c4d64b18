import { constants, createCipheriv, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import JSZip from 'jszip';
import { describe, expect, it, vi } from 'vitest';
import { webCrypto } from '../src/browser.js';
import {
  type CryptoProvider,
  decryptResult,
  readResult,
  ResultDecryptionError,
  type RsaPrivateJwk,
  TooLargeError,
  unwrapResultKey,
  writeZip,
} from '../src/index.js';
import { nodeCrypto } from '../src/node.js';

// One decryption of task results, for the SDK in Node and browsers and for the enclave's tests.
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const jwk = privateKey.export({ format: 'jwk' }) as RsaPrivateJwk;
const providers = [
  ['Node', nodeCrypto],
  ['WebCrypto', webCrypto],
] as const satisfies readonly (readonly [string, CryptoProvider])[];

/**
 * A result encrypted as iExec's post-compute does it, zipped as iExec's workers do (DEFLATE). Its TDX
 * post-compute puts the raw wrapped key at the root; older ones wrote base64 text in a folder.
 */
async function iexecResult(inner: Uint8Array, options: { wrapBase64OfKey?: boolean; legacyLayout?: boolean } = {}): Promise<Uint8Array> {
  const aesKey = randomBytes(32);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', aesKey, iv);
  const wrapped = publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
    options.wrapBase64OfKey ? Buffer.from(aesKey.toString('base64')) : aesKey,
  );
  const outer = new JSZip();
  const folder = options.legacyLayout ? 'encrypted-0xtask/' : '';
  outer.file(`${folder}iexec_out.zip.aes`, Buffer.concat([iv, cipher.update(inner), cipher.final()]));
  outer.file(`${folder}aes-key.rsa`, options.legacyLayout ? wrapped.toString('base64') : wrapped);
  return outer.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** The zip of an IEXEC_OUT, deflated. */
async function resultZip(files: Record<string, string>): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [path, content] of Object.entries(files)) zip.file(path, content);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describe('the result key', () => {
  for (const [name, crypto] of providers) {
    it(`unwraps what an enclave wraps with its public key (RSA PKCS#1 v1.5), and only with the right key (${name})`, async () => {
      const aesKey = randomBytes(32);
      const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, aesKey);
      expect(Buffer.from(await unwrapResultKey(wrapped, jwk, crypto)).equals(aesKey)).toBe(true);
      expect(Buffer.from(await unwrapResultKey(wrapped, pkcs8, crypto)).equals(aesKey)).toBe(true);
      expect(Buffer.from(await unwrapResultKey(new TextEncoder().encode(wrapped.toString('base64')), jwk, crypto)).equals(aesKey)).toBe(
        true,
      );
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as RsaPrivateJwk;
      await expect(unwrapResultKey(wrapped, other, crypto)).rejects.toThrow(ResultDecryptionError);
      await expect(unwrapResultKey(wrapped, other, crypto)).rejects.toThrow('the wrapped AES key does not open with this private key');
      await expect(unwrapResultKey(wrapped.subarray(1), jwk, crypto)).rejects.toThrow('is 255 bytes, not 256');
      await expect(unwrapResultKey(wrapped, { kty: 'RSA', n: jwk.n }, crypto)).rejects.toThrow('the private key is not an RSA private key');
    });
  }

  it('reads PKCS#1 PEMs in Node, and tells how to convert them where WebCrypto reads only PKCS#8', async () => {
    const aesKey = randomBytes(32);
    const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, aesKey);
    expect(Buffer.from(await unwrapResultKey(wrapped, pkcs1, nodeCrypto)).equals(aesKey)).toBe(true);
    await expect(unwrapResultKey(wrapped, pkcs1, webCrypto)).rejects.toThrow('openssl pkcs8 -topk8 -nocrypt');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(unwrapResultKey(wrapped, ec, nodeCrypto)).rejects.toThrow('the private key is not an RSA key (it is ec)');
    await expect(unwrapResultKey(wrapped, ec, webCrypto)).rejects.toThrow(ResultDecryptionError);
  });
});

describe('decrypting results', () => {
  for (const [name, crypto] of providers) {
    it(`opens iExec-shaped results — TDX's raw key at the root, older ones in a folder, all deflated — with ${name}`, async () => {
      const inner = await resultZip({
        'result.txt': 'secret result',
        'computed.json': '{"deterministic-output-path":"/iexec_out/result.txt"}',
        'out/empty.txt': '',
      });
      for (const privateKey of [pkcs8, jwk]) {
        expect(await decryptResult(await iexecResult(inner), { privateKey, crypto })).toEqual(inner);
        expect(await decryptResult(await iexecResult(inner, { legacyLayout: true }), { privateKey, crypto })).toEqual(inner);
        expect(
          await decryptResult(await iexecResult(inner, { legacyLayout: true, wrapBase64OfKey: true }), { privateKey, crypto }),
        ).toEqual(inner);
      }
      const getKey = vi.fn(async () => jwk);
      const { files, encrypted } = await readResult(await iexecResult(inner), { privateKey: getKey, crypto });
      expect(encrypted).toBe(true);
      expect(getKey).toHaveBeenCalledOnce();
      expect(text(files.get('result.txt'))).toBe('secret result');
      expect(text(files.get('out/empty.txt'))).toBe('');
      expect([...files.keys()].sort()).toEqual(['computed.json', 'out/', 'out/empty.txt', 'result.txt']);
    });
  }

  it('reads a result that is not encrypted as it is, without asking for the key', async () => {
    const getKey = vi.fn(async () => jwk);
    const { files, encrypted } = await readResult(writeZip([{ path: 'result.txt', data: new TextEncoder().encode('plain') }]), {
      privateKey: getKey,
      crypto: webCrypto,
    });
    expect(encrypted).toBe(false);
    expect(text(files.get('result.txt'))).toBe('plain');
    expect(getKey).not.toHaveBeenCalled();
    await expect(
      decryptResult(writeZip([{ path: 'result.txt', data: Uint8Array.of(1) }]), { privateKey: jwk, crypto: nodeCrypto }),
    ).rejects.toThrow('it has no iexec_out.zip.aes and aes-key.rsa; it may not be an encrypted result');
  });

  it('says what is wrong with a result it cannot open, with typed errors only', async () => {
    const inner = await resultZip({ 'result.txt': 'x'.repeat(5000) });
    const archive = await iexecResult(inner);
    await expect(readResult(archive, { crypto: nodeCrypto })).rejects.toThrow('it is encrypted and no private key was given');
    await expect(decryptResult(archive.subarray(0, archive.length - 30), { privateKey: jwk, crypto: nodeCrypto })).rejects.toThrow(
      /^the result cannot be decrypted: the result is not a readable ZIP archive \(no ZIP end record\)/,
    );
    await expect(readResult(archive, { privateKey: jwk, crypto: nodeCrypto, limits: { maxEntrySize: 100 } })).rejects.toThrow(
      TooLargeError,
    );
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as RsaPrivateJwk;
    await expect(decryptResult(archive, { privateKey: other, crypto: webCrypto })).rejects.toThrow(ResultDecryptionError);
    // An AES block damaged in the middle decrypts to a zip that fails its checks.
    const outer = await JSZip.loadAsync(archive);
    const encrypted = await outer.file('iexec_out.zip.aes')!.async('uint8array');
    encrypted[40] = (encrypted[40] as number) ^ 1;
    outer.file('iexec_out.zip.aes', encrypted);
    const damaged = await outer.generateAsync({ type: 'uint8array' });
    for (const [, crypto] of providers) {
      await expect(readResult(damaged, { privateKey: jwk, crypto })).rejects.toThrow(
        /^the result cannot be decrypted: the decrypted result is not a readable ZIP archive/,
      );
    }
    outer.file('iexec_out.zip.aes', encrypted.subarray(0, encrypted.length - 16));
    const cut = await outer.generateAsync({ type: 'uint8array' });
    for (const [, crypto] of providers)
      await expect(decryptResult(cut, { privateKey: jwk, crypto })).rejects.toThrow(
        'iexec_out.zip.aes does not decrypt with the unwrapped key',
      );
  });
});
