import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidMasterKeyError } from './errors.js';
import { parseMasterKey } from './masterKey.js';

describe('parseMasterKey', () => {
  const bytes = randomBytes(32);

  it('reads 32 bytes given as bytes, base64, hex or 0x-hex', () => {
    for (const input of [
      new Uint8Array(bytes),
      bytes.toString('base64'),
      bytes.toString('hex'),
      `0x${bytes.toString('hex')}`,
      ` ${bytes.toString('base64')}\n`,
    ]) {
      expect(Buffer.from(parseMasterKey(input)).equals(bytes)).toBe(true);
    }
  });

  it('says what is wrong with a missing, short or garbled key', () => {
    const refusal = (input: Uint8Array | string | undefined) => {
      try {
        parseMasterKey(input);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidMasterKeyError);
        return (error as InvalidMasterKeyError).shortMessage;
      }
      throw new RangeError('expected a refusal');
    };
    expect(refusal(undefined)).toBe('the SMS master key is missing');
    expect(refusal('')).toBe('the SMS master key is missing');
    expect(refusal(new Uint8Array(16))).toBe('the SMS master key is 16 bytes long, not 32');
    expect(refusal(randomBytes(16).toString('base64'))).toBe('the SMS master key is 16 bytes of base64, not 32');
    expect(refusal(randomBytes(31).toString('hex'))).toBe('the SMS master key is 31 bytes of hex, not 32');
    expect(refusal('not a key!')).toBe('the SMS master key is neither base64 nor hex');
  });
});
