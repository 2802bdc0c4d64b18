import { MissingValueError } from './errors.js';
import { readZip } from './zip.js';

export type ValueOf<type extends string> = type extends 'bool' | 'boolean'
  ? boolean
  : type extends 'f64' | 'number'
    ? number
    : type extends 'i128'
      ? bigint
      : type extends 'string'
        ? string
        : Uint8Array;

export type ProtectedDataReader = {
  /** The value at a dotted path, decoded by its schema type (any MIME type gives bytes). */
  getValue<type extends string>(path: string, type: type): ValueOf<type>;
  /** Every entry path of the archive (folders end with `/`). */
  paths(): string[];
};

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a decrypted protected data archive with the semantics of iExec's deserializer: a dotted
 * path maps to the zip path, `bool`/`boolean`, `f64`/`number`, `i128` and `string` are decoded,
 * anything else is returned as bytes.
 *
 * @example
 * const reader = createReader(zip);
 * const email = reader.getValue('email', 'string');
 */
export function createReader(zip: Uint8Array): ProtectedDataReader {
  const entries = readZip(zip);
  return {
    paths: () => [...entries.keys()],
    getValue<type extends string>(path: string, type: type): ValueOf<type> {
      const data = entries.get(path.split('.').join('/'));
      if (!data) throw new MissingValueError(path, 'no such entry');
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      switch (type) {
        case 'bool':
        case 'boolean':
          if (data.length !== 1 || (data[0] !== 0 && data[0] !== 1)) throw new MissingValueError(path, 'not a borsh bool');
          return (data[0] === 1) as ValueOf<type>;
        case 'f64':
        case 'number':
          if (data.length !== 8) throw new MissingValueError(path, 'not a borsh f64');
          return view.getFloat64(0, true) as ValueOf<type>;
        case 'i128': {
          if (data.length !== 16) throw new MissingValueError(path, 'not a borsh i128');
          let value = 0n;
          for (let i = 15; i >= 0; i--) value = (value << 8n) | BigInt(data[i] as number);
          return BigInt.asIntN(128, value) as ValueOf<type>;
        }
        case 'string': {
          const length = data.length >= 4 ? view.getUint32(0, true) : -1;
          if (length !== data.length - 4) throw new MissingValueError(path, 'not a borsh string');
          try {
            return decoder.decode(data.subarray(4)) as ValueOf<type>;
          } catch {
            throw new MissingValueError(path, 'the string is not UTF-8');
          }
        }
        default:
          return data as ValueOf<type>;
      }
    },
  };
}
