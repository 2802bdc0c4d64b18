import { InvalidDataError } from './errors.js';
import { sniffMimeType } from './mime.js';

/** A leaf of the data to protect; a `Blob` (a browser `File`, or Node's `fs.openAsBlob`) is read as bytes, streamed. */
export type DataLeaf = boolean | number | bigint | string | Uint8Array | ArrayBuffer | Blob;
/** The data to protect: nested objects of leaves. */
export type DataObject = { [key: string]: DataLeaf | DataObject };
/** The schema of a protected data: the same shape, with a type name at each leaf. */
export type DataSchema = { [key: string]: string | DataSchema };

const KEY = /^[a-zA-Z0-9\-_]+$/;
const I128_MIN = -(2n ** 127n);
const I128_MAX = 2n ** 127n - 1n;

export type Leaf =
  | { kind: 'bool'; value: boolean }
  | { kind: 'f64'; value: number }
  | { kind: 'i128'; value: bigint }
  | { kind: 'string'; value: string }
  | { kind: 'bytes'; value: Uint8Array; mime: string }
  | { kind: 'blob'; value: Blob };

const isBlob = (value: unknown): value is Blob => typeof Blob !== 'undefined' && value instanceof Blob;

type Item = { path: string[]; folder: true } | { path: string[]; folder: false; leaf: Leaf };

/** Walks the data depth first, in key order, checking every key and value; at least one value. */
export function* walk(data: DataObject): Generator<Item> {
  let leaves = 0;
  for (const item of walkObject(data, [])) {
    if (!item.folder) leaves++;
    yield item;
  }
  if (leaves === 0) throw new InvalidDataError('', 'there is no value to protect');
}

function* walkObject(data: DataObject, prefix: string[]): Generator<Item> {
  if (
    data === null ||
    typeof data !== 'object' ||
    Array.isArray(data) ||
    data instanceof Uint8Array ||
    data instanceof ArrayBuffer ||
    isBlob(data)
  ) {
    throw new InvalidDataError(prefix.join('.'), 'expected an object of keys');
  }
  for (const [key, value] of Object.entries(data)) {
    const path = [...prefix, key];
    const name = path.join('.');
    if (!KEY.test(key)) throw new InvalidDataError(name, `the key "${key}" may only use letters, digits, - and _`);
    if (value === null || value === undefined) throw new InvalidDataError(name, `${value} is not a value`);
    if (Array.isArray(value)) throw new InvalidDataError(name, 'arrays are not supported: use an object with keys 0, 1, 2…');
    if (typeof value === 'boolean') yield { path, folder: false, leaf: { kind: 'bool', value } };
    else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new InvalidDataError(name, `${value} is not a finite number`);
      yield { path, folder: false, leaf: { kind: 'f64', value } };
    } else if (typeof value === 'bigint') {
      if (value < I128_MIN || value > I128_MAX) throw new InvalidDataError(name, 'the bigint does not fit in 128 bits (i128)');
      yield { path, folder: false, leaf: { kind: 'i128', value } };
    } else if (typeof value === 'string') yield { path, folder: false, leaf: { kind: 'string', value } };
    else if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
      const bytes = value instanceof Uint8Array ? value : new Uint8Array(value);
      yield { path, folder: false, leaf: { kind: 'bytes', value: bytes, mime: sniffMimeType(bytes) } };
    } else if (isBlob(value)) yield { path, folder: false, leaf: { kind: 'blob', value } };
    else if (typeof value === 'object') {
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) {
        throw new InvalidDataError(
          name,
          `a ${prototype?.constructor?.name ?? 'special'} object cannot be protected: use a plain object, a string or bytes`,
        );
      }
      yield { path, folder: true };
      yield* walkObject(value as DataObject, path);
    } else {
      throw new InvalidDataError(name, `a ${typeof value} cannot be protected`);
    }
  }
}

/** The first bytes of a file, enough to recognise its type. */
export async function headOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(0, 16).arrayBuffer());
}

/**
 * The schema of the data to protect: `bool`, `f64`, `i128`, `string`, or a MIME type for bytes
 * (recognised from their first bytes; files are not read further).
 *
 * @example
 * await extractDataSchema({ email: 'a@b.c', age: 42 }); // { email: 'string', age: 'f64' }
 */
export async function extractDataSchema(data: DataObject): Promise<DataSchema> {
  const schema: DataSchema = {};
  for (const item of walk(data)) {
    let node = schema;
    for (const key of item.path.slice(0, -1)) node = node[key] as DataSchema;
    const last = item.path[item.path.length - 1] as string;
    if (item.folder) node[last] = {};
    else node[last] = await typeOf(item.leaf);
  }
  return schema;
}

async function typeOf(leaf: Leaf): Promise<string> {
  if (leaf.kind === 'bytes') return leaf.mime;
  if (leaf.kind === 'blob') return sniffMimeType(await headOf(leaf.value));
  return leaf.kind;
}
