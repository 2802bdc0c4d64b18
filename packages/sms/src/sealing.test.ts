import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, seal } from './sealing.js';

const key = randomBytes(32);
const text = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

describe('seal / open (AES-256-GCM)', () => {
  it('round-trips, with a fresh nonce each time and no plaintext in the ciphertext', () => {
    const plaintext = Buffer.from('the dataset key', 'utf8');
    const first = seal(key, 'identity-a', plaintext);
    const second = seal(key, 'identity-a', plaintext);
    expect(first.nonce).toHaveLength(12);
    expect(Buffer.from(first.nonce).equals(Buffer.from(second.nonce))).toBe(false);
    expect(Buffer.from(first.ciphertext).equals(Buffer.from(second.ciphertext))).toBe(false);
    expect(Buffer.from(first.ciphertext).includes(plaintext)).toBe(false);
    expect(text(open(key, 'identity-a', first))).toBe('the dataset key');
  });

  it('does not open under another identity, another key, or after a flipped bit', () => {
    const sealed = seal(key, 'web3/0xaaa', Buffer.from('k'));
    expect(open(key, 'web3/0xbbb', sealed)).toBeUndefined();
    expect(open(randomBytes(32), 'web3/0xaaa', sealed)).toBeUndefined();
    const flipped = Uint8Array.from(sealed.ciphertext);
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(open(key, 'web3/0xaaa', { ...sealed, ciphertext: flipped })).toBeUndefined();
    expect(open(key, 'web3/0xaaa', { ...sealed, nonce: new Uint8Array(12) })).toBeUndefined();
    expect(open(key, 'web3/0xaaa', { ciphertext: new Uint8Array(3), nonce: sealed.nonce })).toBeUndefined();
  });
});
