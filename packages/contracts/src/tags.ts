import { type Hex, hexToBigInt, numberToHex } from 'viem';
import { InvalidTagError } from './errors.js';

/**
 * The named bits of a PoCo tag (bytes32). Bit 0 is TEE; a TEE framework sets bit 0 and its own bit.
 */
export const tagBits = {
  tee: 0,
  scone: 1,
  gramine: 2,
  tdx: 3,
} as const;

export type TagName = keyof typeof tagBits;

/** No requirement: a standard (non-TEE) task. */
export const NO_TAG: Hex = `0x${'0'.repeat(64)}`;
/** Any TEE. */
export const TEE_TAG: Hex = encodeTag(['tee']);
/** TEE with Intel SGX through SCONE. */
export const SCONE_TAG: Hex = encodeTag(['tee', 'scone']);
/** TEE with Intel SGX through Gramine. */
export const GRAMINE_TAG: Hex = encodeTag(['tee', 'gramine']);
/** TEE with Intel TDX. */
export const TDX_TAG: Hex = encodeTag(['tee', 'tdx']);

/**
 * Encodes tag names into a bytes32 tag. A framework name implies `tee`.
 *
 * @example
 * encodeTag(['tdx']); // 0x…09
 */
export function encodeTag(names: readonly TagName[]): Hex {
  let value = 0n;
  for (const name of names) {
    const bit = tagBits[name];
    if (bit === undefined) throw new InvalidTagError(String(name));
    value |= 1n << BigInt(bit);
    if (name !== 'tee') value |= 1n;
  }
  return numberToHex(value, { size: 32 });
}

/**
 * Decodes a bytes32 tag into the names of its known bits; unknown bits are kept as `bit<n>`.
 *
 * @example
 * decodeTag('0x…09'); // ['tee', 'tdx']
 */
export function decodeTag(tag: Hex): string[] {
  const value = toTagValue(tag);
  const names: string[] = [];
  for (let bit = 0; bit < 256; bit++) {
    if (((value >> BigInt(bit)) & 1n) === 0n) continue;
    const known = (Object.keys(tagBits) as TagName[]).find((name) => tagBits[name] === bit);
    names.push(known ?? `bit${bit}`);
  }
  return names;
}

/**
 * Whether a tag asks for a TEE.
 *
 * @example
 * isTeeTag(TDX_TAG); // true
 */
export function isTeeTag(tag: Hex): boolean {
  return (toTagValue(tag) & 1n) === 1n;
}

/**
 * Whether every bit of `required` is in `offered` (how PoCo matches a deal tag to a workerpool tag).
 *
 * @example
 * tagIncludes(TDX_TAG, TEE_TAG); // true
 */
export function tagIncludes(offered: Hex, required: Hex): boolean {
  const need = toTagValue(required);
  return (toTagValue(offered) & need) === need;
}

/**
 * The union of several tags (how PoCo builds a deal's tag from its app, dataset and request orders).
 *
 * @example
 * combineTags(TEE_TAG, TDX_TAG); // TDX_TAG
 */
export function combineTags(...tags: Hex[]): Hex {
  return numberToHex(
    tags.reduce((all, tag) => all | toTagValue(tag), 0n),
    { size: 32 },
  );
}

/** The TEE framework a tag names, if any. */
export function teeFramework(tag: Hex): 'tdx' | 'scone' | 'gramine' | undefined {
  const names = decodeTag(tag);
  return (['tdx', 'scone', 'gramine'] as const).find((name) => names.includes(name));
}

function toTagValue(tag: Hex): bigint {
  if (!/^0x[0-9a-fA-F]{1,64}$/.test(tag)) throw new InvalidTagError(tag);
  return hexToBigInt(tag);
}
