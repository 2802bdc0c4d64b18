import type { Leaf } from './schema.js';

const encoder = new TextEncoder();

/** A leaf's bytes in the archive: borsh for bool, f64, i128 and string; raw for bytes. */
export function encodeLeaf(leaf: Exclude<Leaf, { kind: 'blob' }>): Uint8Array {
  switch (leaf.kind) {
    case 'bool':
      return Uint8Array.of(leaf.value ? 1 : 0);
    case 'f64': {
      const out = new Uint8Array(8);
      new DataView(out.buffer).setFloat64(0, leaf.value, true);
      return out;
    }
    case 'i128': {
      const out = new Uint8Array(16);
      let value = BigInt.asUintN(128, leaf.value);
      for (let i = 0; i < 16; i++) {
        out[i] = Number(value & 0xffn);
        value >>= 8n;
      }
      return out;
    }
    case 'string': {
      const text = encoder.encode(leaf.value);
      const out = new Uint8Array(4 + text.length);
      new DataView(out.buffer).setUint32(0, text.length, true);
      out.set(text, 4);
      return out;
    }
    case 'bytes':
      return leaf.value;
  }
}
