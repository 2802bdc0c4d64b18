import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { CorruptedDataError, createReader, createZipFromObject, type DataObject, type DataSchema, extractDataSchema, InvalidDataError, MissingValueError, readZip } from '../src/index.js';
import { decryptAes256Cbc, encryptAes256Cbc, generateEncryptionKey, sha256Checksum } from '../src/node.js';

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
  if (value && typeof value === 'object' && 'bytesHex' in value) return new Uint8Array(Buffer.from((value as { bytesHex: string }).bytesHex, 'hex'));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  return value;
}
const data = revive(reference.data) as DataObject;

function leaves(schema: DataSchema, prefix = ''): [string, string][] {
  return Object.entries(schema).flatMap(([key, type]) => (typeof type === 'string' ? [[`${prefix}${key}`, type] as [string, string]] : leaves(type, `${prefix}${key}.`)));
}
const valueAt = (path: string) => path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], data);

describe('compatibility with iExec DataProtector', () => {
  it('infers the same schema', () => {
    expect(extractDataSchema(data)).toEqual(reference.schema);
  });

  it('decrypts iExec ciphertext and encrypts to the same bytes with the same key and IV', () => {
    expect(decryptAes256Cbc(referenceEncrypted, reference.encryptionKeyBase64)).toEqual(referenceZip);
    const encrypted = encryptAes256Cbc(referenceZip, reference.encryptionKeyBase64, Buffer.from(reference.ivHex, 'hex'));
    expect(encrypted).toEqual(referenceEncrypted);
    expect(sha256Checksum(encrypted)).toBe(reference.checksum);
  });

  it('reads every leaf of an archive made by iExec', () => {
    const reader = createReader(referenceZip);
    for (const [path, type] of leaves(reference.schema)) expect(reader.getValue(path, type), path).toEqual(valueAt(path));
    // Legacy readers ask for `boolean` and `number`.
    expect(reader.getValue('consent', 'boolean')).toBe(true);
    expect(reader.getValue('age', 'number')).toBe(42.5);
  });

  it('writes the same entries, in the same order, with the same contents', () => {
    const ours = readZip(createZipFromObject(data));
    const theirs = readZip(referenceZip);
    expect([...ours.keys()]).toEqual([...theirs.keys()]);
    for (const [path, bytes] of theirs) expect(ours.get(path), path).toEqual(bytes);
  });

  it('makes archives that JSZip, the library of iExec\'s deserializer, opens entry by entry', async () => {
    const zip = await JSZip.loadAsync(createZipFromObject(data), { checkCRC32: true });
    expect(Object.keys(zip.files)).toEqual([...readZip(referenceZip).keys()]);
    expect(zip.files['profile/']?.dir).toBe(true);
    for (const [path, bytes] of readZip(referenceZip)) {
      if (path.endsWith('/')) continue;
      expect(await zip.file(path)?.async('uint8array'), path).toEqual(bytes);
    }
  });
});

describe('refusals', () => {
  it('names the bad key and why', () => {
    expect(() => extractDataSchema({ 'bad key': 'x' })).toThrowError(new InvalidDataError('bad key', 'the key "bad key" may only use letters, digits, - and _'));
    expect(() => extractDataSchema({ a: { list: [1] as never } })).toThrow('cannot protect "a.list": arrays are not supported');
    expect(() => extractDataSchema({ n: Number.NaN })).toThrow('cannot protect "n": NaN is not a finite number');
    expect(() => extractDataSchema({ big: 2n ** 127n })).toThrow('cannot protect "big": the bigint does not fit in 128 bits (i128)');
    expect(() => extractDataSchema({ none: null as never })).toThrow('cannot protect "none": null is not a value');
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
    expect(() => reader.getValue('email', 'bool')).toThrow('Failed to load path email');
  });
});
