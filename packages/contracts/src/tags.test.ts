import type { Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { InvalidTagError } from './errors.js';
import {
  assertOrderTag,
  combineTags,
  decodeTag,
  encodeTag,
  GRAMINE_TAG,
  isTeeTag,
  NO_TAG,
  orderTagProblem,
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

  it('accepts on each order kind the tags iExec 9 accepts, and says why it refuses the others', () => {
    const gpuTdx: Hex = `0x${'0'.repeat(61)}109`; // tee + tdx + gpu (bit 8)
    for (const kind of ['app', 'workerpool', 'request'] as const) {
      expect(orderTagProblem(kind, TDX_TAG), kind).toBeUndefined();
      expect(orderTagProblem(kind, gpuTdx), kind).toBeUndefined();
      expect(orderTagProblem(kind, NO_TAG), kind).toBeUndefined();
      expect(orderTagProblem(kind, TEE_TAG), kind).toBe('asks for a TEE without naming TDX, the only framework iExec runs');
      expect(orderTagProblem(kind, SCONE_TAG), kind).toBe('names scone, an SGX framework iExec no longer runs');
      expect(orderTagProblem(kind, GRAMINE_TAG), kind).toBe('names gramine, an SGX framework iExec no longer runs');
      expect(orderTagProblem(kind, `0x${'0'.repeat(63)}8`), kind).toBe('names tdx without tee');
    }
    // DataProtector's grants say `tee` alone; a dataset order's framework bits are not read.
    for (const tag of [TEE_TAG, TDX_TAG, SCONE_TAG, NO_TAG]) expect(orderTagProblem('dataset', tag)).toBeUndefined();
    expect(() => assertOrderTag('app', TEE_TAG)).toThrowErrorMatchingInlineSnapshot(`
      [UnsupportedTagError: the app order's tag 0x0000000000000000000000000000000000000000000000000000000000000001 asks for a TEE without naming TDX, the only framework iExec runs

      → Use tag 0x…09 (tee + tdx, \`TDX_TAG\`): iExec's networks run Intel TDX only.]
    `);
  });
});
