import { BaseError } from '@confidant/errors';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Not an IPFS content identifier this format stores (a CIDv0: base58 sha2-256 multihash). */
export class InvalidCidError extends BaseError {
  override name = 'InvalidCidError';
  constructor(cid: string, reason: string) {
    super(`"${cid.slice(0, 80)}" is not a CIDv0: ${reason}`, {
      hints: ['Upload with cid-version 0 (the kubo default): protected data multiaddrs are /p2p/<CIDv0>.'],
      kind: 'invalid-input',
    });
  }
}

function base58Decode(text: string): Uint8Array {
  let value = 0n;
  for (const char of text) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) throw new InvalidCidError(text, `"${char}" is not a base58 character`);
    value = value * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  for (; value > 0n; value >>= 8n) bytes.unshift(Number(value & 0xffn));
  for (const char of text) {
    if (char !== '1') break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

function base58Encode(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = '';
  for (; value > 0n; value /= 58n) out = ALPHABET[Number(value % 58n)] + out;
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}

/** 0xa5 0x03 = the `p2p` protocol code as a varint; 0x22 = 34 bytes of multihash follow. */
const P2P_PREFIX = [0xa5, 0x03, 0x22];
/** 0x12 = sha2-256, 0x20 = 32-byte digest: every CIDv0. */
const SHA256_MULTIHASH = [0x12, 0x20];

/**
 * The on-chain multiaddr of content stored on IPFS: the binary form of `/p2p/<CIDv0>`.
 *
 * @example
 * const multiaddr = cidToMultiaddr('QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o');
 */
export function cidToMultiaddr(cid: string): `0x${string}` {
  if (!cid.startsWith('Qm') || cid.length !== 46) throw new InvalidCidError(cid, 'a CIDv0 starts with Qm and has 46 characters');
  const multihash = base58Decode(cid);
  if (multihash.length !== 34 || multihash[0] !== 0x12 || multihash[1] !== 0x20) throw new InvalidCidError(cid, 'not a sha2-256 multihash');
  let hex = '0x';
  for (const byte of [...P2P_PREFIX, ...multihash]) hex += byte.toString(16).padStart(2, '0');
  return hex as `0x${string}`;
}

/**
 * Where a dataset's multiaddr points: `/ipfs/<cid>` for a binary `/p2p/` multiaddr, otherwise the
 * bytes read as a UTF-8 URL (how iExec's readers treat them).
 *
 * @example
 * multiaddrToLocation('0xa503221220…'); // { kind: 'ipfs', cid: 'Qm…', path: '/ipfs/Qm…' }
 */
export function multiaddrToLocation(multiaddr: `0x${string}`): { kind: 'ipfs'; cid: string; path: string } | { kind: 'url'; url: string } {
  const bytes = Uint8Array.from((multiaddr.slice(2).match(/../g) ?? []).map((pair) => Number.parseInt(pair, 16)));
  const isP2p =
    bytes.length === 37 && P2P_PREFIX.every((byte, i) => bytes[i] === byte) && SHA256_MULTIHASH.every((byte, i) => bytes[3 + i] === byte);
  if (isP2p) {
    const cid = base58Encode(bytes.subarray(3));
    return { kind: 'ipfs', cid, path: `/ipfs/${cid}` };
  }
  return { kind: 'url', url: new TextDecoder().decode(bytes) };
}
