import { CorruptedDataError } from './errors.js';

/** Bytes as a stream of chunks: an async iterable (a ReadableStream in Node, a generator) or a plain one (an array). */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Bytes of a base64 string (how keys travel), checked. */
export function fromBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw new CorruptedDataError('the key is not base64');
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function toHex(bytes: Uint8Array): `0x${string}` {
  let out = '0x';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out as `0x${string}`;
}

/** A 32-byte AES key from its base64 form. */
export function keyFromBase64(keyBase64: string): Uint8Array {
  const key = fromBase64(keyBase64);
  if (key.length !== 32) throw new CorruptedDataError(`the key is ${key.length} bytes, AES-256 needs 32`);
  return key;
}

/** Re-cuts a stream of chunks into chunks of `size` bytes (the last one shorter). */
export async function* rechunk(source: ByteSource, size: number): AsyncGenerator<Uint8Array> {
  let buffer = new Uint8Array(size);
  let filled = 0;
  for await (const chunk of source) {
    let at = 0;
    while (at < chunk.length) {
      if (filled === 0 && chunk.length - at >= size) {
        yield chunk.subarray(at, at + size);
        at += size;
        continue;
      }
      const take = Math.min(size - filled, chunk.length - at);
      buffer.set(chunk.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === size) {
        yield buffer;
        buffer = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}
