import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import {
  collect,
  CorruptedDataError,
  createReader,
  createZipFromObject,
  type DataObject,
  type DataSchema,
  decryptStream,
  encryptStream,
  extractDataSchema,
  InvalidDataError,
  MissingValueError,
  readZip,
  ValueTypeError,
  writeZip,
} from '../src/index.js';
import { decryptAes256Cbc, encryptAes256Cbc, generateEncryptionKey, nodeCrypto, sha256Checksum } from '../src/node.js';
import { webCrypto } from '../src/browser.js';

// A protected data made by iExec's own code (@iexec/dataprotector 2.0.0-beta.27, iexec 9.0.1).
const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const reference = JSON.parse(readFileSync(join(fixtures, 'reference.json'), 'utf8')) as {
  data: Record<string, unknown>;
  schema: DataSchema;
  encryptionKeyBase64: string;
  ivHex: string;
  checksum: string;
};
const referenceZip = new Uint8Array(readFileSync(join(fixtures, 'reference.zip')));
const referenceEncrypted = new Uint8Array(readFileSync(join(fixtures, 'reference.zip.enc')));

/** reference.json writes bigints as "…n" and bytes as { bytesHex }. */
function revive(value: unknown): unknown {
  if (typeof value === 'string' && /^-?\d+n$/.test(value)) return BigInt(value.slice(0, -1));
  if (value && typeof value === 'object' && 'bytesHex' in value)
    return new Uint8Array(Buffer.from((value as { bytesHex: string }).bytesHex, 'hex'));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  return value;
}
const data = revive(reference.data) as DataObject;

async function* chunked(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

function leaves(schema: DataSchema, prefix = ''): [string, string][] {
  return Object.entries(schema).flatMap(([key, type]) =>
    typeof type === 'string' ? [[`${prefix}${key}`, type] as [string, string]] : leaves(type, `${prefix}${key}.`),
  );
}
const valueAt = (path: string) => path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], data);

describe('compatibility with iExec DataProtector', () => {
  it('infers the same schema', async () => {
    expect(await extractDataSchema(data)).toEqual(reference.schema);
  });

  it('decrypts iExec ciphertext and encrypts to the same bytes with the same key and IV', () => {
    expect(decryptAes256Cbc(referenceEncrypted, reference.encryptionKeyBase64)).toEqual(referenceZip);
    const encrypted = encryptAes256Cbc(referenceZip, reference.encryptionKeyBase64, Buffer.from(reference.ivHex, 'hex'));
    expect(encrypted).toEqual(referenceEncrypted);
    expect(sha256Checksum(encrypted)).toBe(reference.checksum);
  });

  // Fixed test vectors: known key + IV -> known ciphertext and checksum, whatever the chunking.
  for (const [name, crypto] of [
    ['Node', nodeCrypto],
    ['WebCrypto', webCrypto],
  ] as const) {
    for (const size of [1, 15, 16, 17, 1000]) {
      it(`streams the same ciphertext and checksum with ${name} in ${size}-byte chunks`, async () => {
        const { chunks, checksum } = encryptStream(chunked(referenceZip, size), {
          key: reference.encryptionKeyBase64,
          iv: Buffer.from(reference.ivHex, 'hex'),
          crypto,
        });
        expect(await collect(chunks)).toEqual(referenceEncrypted);
        expect(await checksum).toBe(reference.checksum);
        expect(await collect(decryptStream(chunked(referenceEncrypted, size), { key: reference.encryptionKeyBase64, crypto }))).toEqual(
          referenceZip,
        );
      });
    }
  }

  it('reads every leaf of an archive made by iExec', () => {
    const reader = createReader(referenceZip);
    for (const [path, type] of leaves(reference.schema)) expect(reader.getValue(path, type), path).toEqual(valueAt(path));
    // `boolean` (legacy) is the same byte as borsh `bool`.
    expect(reader.getValue('consent', 'boolean')).toBe(true);
  });

  it('reads protected data of DataProtector v0 (legacy: strings and numbers as text) in legacy and optimistic modes', () => {
    const text = (value: string) => new TextEncoder().encode(value);
    const legacy = writeZip([
      { path: 'name', data: text('Alice') },
      { path: 'age', data: text('42.5') },
      { path: 'ok', data: Uint8Array.of(1) },
    ]);
    for (const mode of ['legacy', 'optimistic'] as const) {
      const reader = createReader(legacy, { mode });
      expect(reader.getValue('name', 'string')).toBe('Alice');
      expect(reader.getValue('age', 'number')).toBe(42.5);
      expect(reader.getValue('ok', 'boolean')).toBe(true);
    }
    const borsh = createReader(legacy, { mode: 'borsh' });
    expect(() => borsh.getValue('name', 'string')).toThrow('Failed to deserialize "name" as "string" in "borsh" mode');
    expect(() => borsh.getValue('age', 'number')).toThrow(ValueTypeError);
    expect(() => createReader(legacy, { mode: 'legacy' }).getValue('ok', 'bool')).toThrow(
      'Failed to deserialize "ok" as "bool" in "legacy" mode',
    );
  });

  it('writes the same entries, in the same order, with the same contents', async () => {
    const ours = readZip(await createZipFromObject(data, { crypto: nodeCrypto }));
    const theirs = readZip(referenceZip);
    expect([...ours.keys()]).toEqual([...theirs.keys()]);
    for (const [path, bytes] of theirs) expect(ours.get(path), path).toEqual(bytes);
  });

  it("makes archives that JSZip, the library of iExec's deserializer, opens entry by entry", async () => {
    const zip = await JSZip.loadAsync(await createZipFromObject(data, { crypto: webCrypto }), { checkCRC32: true });
    expect(Object.keys(zip.files)).toEqual([...readZip(referenceZip).keys()]);
    expect(zip.files['profile/']?.dir).toBe(true);
    for (const [path, bytes] of readZip(referenceZip)) {
      if (path.endsWith('/')) continue;
      expect(await zip.file(path)?.async('uint8array'), path).toEqual(bytes);
    }
  });
});

describe('refusals', () => {
  it('names the bad key and why', async () => {
    await expect(extractDataSchema({ 'bad key': 'x' })).rejects.toThrowError(
      new InvalidDataError('bad key', 'the key "bad key" may only use letters, digits, - and _'),
    );
    await expect(extractDataSchema({ a: { list: [1] as never } })).rejects.toThrow('cannot protect "a.list": arrays are not supported');
    await expect(extractDataSchema({ n: Number.NaN })).rejects.toThrow('cannot protect "n": NaN is not a finite number');
    await expect(extractDataSchema({ big: 2n ** 127n })).rejects.toThrow(
      'cannot protect "big": the bigint does not fit in 128 bits (i128)',
    );
    await expect(extractDataSchema({ none: null as never })).rejects.toThrow('cannot protect "none": null is not a value');
  });

  it('reads nothing from damaged bytes, with typed errors only', () => {
    const damaged = referenceZip.slice();
    damaged[40] = (damaged[40] as number) ^ 0xff;
    expect(() => readZip(damaged)).toThrow(CorruptedDataError);
    expect(() => readZip(referenceZip.subarray(0, 100))).toThrow(CorruptedDataError);
    expect(() => decryptAes256Cbc(referenceEncrypted, generateEncryptionKey())).toThrow(CorruptedDataError);
    expect(() => decryptAes256Cbc(referenceEncrypted.subarray(0, 20), reference.encryptionKeyBase64)).toThrow(CorruptedDataError);
    const reader = createReader(referenceZip);
    expect(() => reader.getValue('missing.path', 'string')).toThrow(MissingValueError);
    expect(() => reader.getValue('missing.path', 'string')).toThrow(/^Failed to load path missing.path/);
    expect(() => reader.getValue('email', 'bool')).toThrowError(new ValueTypeError('email', 'bool', 'optimistic', 'not a borsh bool'));
    expect(() => reader.getValue('email', 'bool')).toThrow('Failed to deserialize "email" as "bool" in "optimistic" mode');
  });
});
