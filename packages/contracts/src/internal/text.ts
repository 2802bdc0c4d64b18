import { type Hex, hexToBytes } from 'viem';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text when they are printable UTF-8, else undefined (binary multiaddr, empty). */
export function bytesToText(value: Hex): string | undefined {
  if (value === '0x') return undefined;
  try {
    const text = decoder.decode(hexToBytes(value));
    return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}
