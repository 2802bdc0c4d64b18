import type { Address, Hex } from 'viem';
import { z } from 'zod';

// The protocol's primitive values as zod schemas: every boundary (API inputs, environment
// variables, SMS requests, enclave inputs, CLI files) builds on these instead of its own regex.
// zod only, no viem at run time: the CLI loads this module before any command runs.

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/**
 * Whether a string is a 0x-prefixed 20-byte hex address, in any casing (no checksum check: forms and
 * URLs are lowercase as often as not).
 *
 * @example
 * isAddressText('0xabc…') // false
 */
export const isAddressText = (value: unknown): value is Address => typeof value === 'string' && ADDRESS.test(value);

/** A 0x-prefixed 20-byte hex address, as given. */
export const addressSchema = z
  .string()
  .regex(ADDRESS, 'must be a 0x-prefixed 20-byte hex address')
  .transform((value) => value as Address);

/** An address in any casing, returned lowercase (how the API and the SMS store and compare them). */
export const lowercaseAddressSchema = addressSchema.transform((value) => value.toLowerCase() as Address);

/** A 0x-prefixed 32-byte hex value (hash, task id, nonce), as given. */
export const bytes32Schema = z
  .string()
  .regex(BYTES32, 'must be a 0x-prefixed 32-byte hex value')
  .transform((value) => value as Hex);

/** A bytes32 in any casing, returned lowercase. */
export const lowercaseBytes32Schema = bytes32Schema.transform((value) => value.toLowerCase() as Hex);

/** A 0x-prefixed 32-byte private key. */
export const privateKeySchema = z
  .string()
  .regex(BYTES32, 'must be a 0x-prefixed 32-byte hex key')
  .transform((value) => value as Hex);

/** 0x-prefixed hex bytes (an even number of digits). */
export const hexBytesSchema = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2})*$/, 'must be 0x-prefixed hex bytes')
  .transform((value) => value as Hex);

/** A uint256 given as a bigint, an integer number or a decimal string. */
export const uintSchema = z
  .union([z.bigint(), z.number().int(), z.string().regex(/^\d+$/, 'must be a non-negative integer')])
  .transform((value) => BigInt(value))
  .refine((value) => value >= 0n && value < 2n ** 256n, 'must fit in a uint256');

/** A non-negative integer written in decimal (environment variables, CLI options), as a bigint. */
export const decimalSchema = z
  .string()
  .regex(/^\d+$/, 'must be a non-negative integer')
  .transform((value) => BigInt(value));
