import { type Hex, hexToBigInt, numberToHex } from 'viem';
import { InvalidTagError, UnsupportedTagError } from './errors.js';
import type { OrderKind } from './orders.js';

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

/**
 * Why iExec 9 refuses `tag` on an order of this kind, or undefined when it takes it: SCONE and
 * Gramine are gone from every order but a dataset's (whose framework bits are ignored); app,
 * workerpool and request orders that ask for a TEE must name TDX (`0x…09`), and TDX needs `tee`.
 * A dataset order may say `tee` alone (`0x…01`), as DataProtector's grants do.
 *
 * @example
 * orderTagProblem('app', TEE_TAG); // 'asks for a TEE without naming TDX, the only framework iExec runs'
 * orderTagProblem('dataset', TEE_TAG); // undefined
 */
export function orderTagProblem(kind: OrderKind, tag: Hex): string | undefined {
  const value = toTagValue(tag);
  const has = (name: TagName) => ((value >> BigInt(tagBits[name])) & 1n) === 1n;
  if (kind === 'dataset') return undefined;
  const legacy = (['scone', 'gramine'] as const).find(has);
  if (legacy) return `names ${legacy}, an SGX framework iExec no longer runs`;
  if (has('tdx') && !has('tee')) return 'names tdx without tee';
  if (has('tee') && !has('tdx')) return 'asks for a TEE without naming TDX, the only framework iExec runs';
  return undefined;
}

/**
 * Refuses a tag iExec 9 would refuse for this kind of order (see `orderTagProblem`).
 *
 * @example
 * assertOrderTag('app', order.tag); // throws UnsupportedTagError for 0x…01
 */
export function assertOrderTag(kind: OrderKind, tag: Hex): void {
  const problem = orderTagProblem(kind, tag);
  if (problem) throw new UnsupportedTagError(kind, tag, problem);
}

function toTagValue(tag: Hex): bigint {
  if (!/^0x[0-9a-fA-F]{1,64}$/.test(tag)) throw new InvalidTagError(tag);
  return hexToBigInt(tag);
}
