import type { Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { InvalidTagError } from './errors.js';
import {
  combineTags,
  decodeTag,
  encodeTag,
  GRAMINE_TAG,
  isTeeTag,
  NO_TAG,
  SCONE_TAG,
  TDX_TAG,
  TEE_TAG,
  tagIncludes,
  teeFramework,
} from './tags.js';

const word = (last: string): Hex => `0x${'0'.repeat(64 - last.length)}${last}`;

describe('tags', () => {
  it('encodes the TEE frameworks as PoCo does', () => {
    expect(TEE_TAG).toBe(word('1'));
    expect(SCONE_TAG).toBe(word('3'));
    expect(GRAMINE_TAG).toBe(word('5'));
    expect(TDX_TAG).toBe(word('9'));
    expect(encodeTag(['tdx'])).toBe(TDX_TAG);
    expect(NO_TAG).toBe(word('0'));
  });

  it('decodes known and unknown bits', () => {
    expect(decodeTag(TDX_TAG)).toEqual(['tee', 'tdx']);
    expect(decodeTag(word('101'))).toEqual(['tee', 'bit8']);
    expect(decodeTag(NO_TAG)).toEqual([]);
  });

  it('matches tags the way matchOrders does', () => {
    expect(isTeeTag(TDX_TAG)).toBe(true);
    expect(isTeeTag(NO_TAG)).toBe(false);
    expect(tagIncludes(TDX_TAG, TEE_TAG)).toBe(true);
    expect(tagIncludes(TEE_TAG, TDX_TAG)).toBe(false);
    expect(tagIncludes(TDX_TAG, NO_TAG)).toBe(true);
    expect(combineTags(TEE_TAG, TDX_TAG, NO_TAG)).toBe(TDX_TAG);
    expect(teeFramework(GRAMINE_TAG)).toBe('gramine');
    expect(teeFramework(TEE_TAG)).toBeUndefined();
  });

  it('refuses what is not a tag', () => {
    expect(() => decodeTag('0xzz' as never)).toThrow(InvalidTagError);
    expect(() => encodeTag(['sgx' as never])).toThrow(InvalidTagError);
    expect(() => isTeeTag(`0x${'1'.repeat(65)}`)).toThrowErrorMatchingInlineSnapshot(`
      [InvalidTagError: "0x11111111111111111111111111111111111111111111111111111111111111111" is not a tag

      → Use a bytes32 hex value, or the names tee, scone, gramine, tdx.]
    `);
  });
});
