import { type Address, getAddress, isAddress } from 'viem';
import { InvalidArgumentError } from '../errors.js';

/** An address argument, checked and checksummed. */
export function addressArgument(name: string, value: unknown): Address {
  if (typeof value !== 'string' || !isAddress(value, { strict: false })) {
    throw new InvalidArgumentError(
      name,
      `must be a 0x-prefixed 20-byte address, not ${JSON.stringify(value)?.slice(0, 60)}`,
      `Pass ${name} as an address such as 0xAbC…123.`,
    );
  }
  return getAddress(value);
}

/** A non-negative integer argument (nRLC prices, counts). */
export function countArgument(name: string, value: unknown, { min = 0n }: { min?: bigint } = {}): bigint {
  const parsed =
    typeof value === 'bigint'
      ? value
      : typeof value === 'number' && Number.isSafeInteger(value)
        ? BigInt(value)
        : typeof value === 'string' && /^\d+$/.test(value)
          ? BigInt(value)
          : undefined;
  if (parsed === undefined || parsed < min || parsed >= 2n ** 256n) {
    throw new InvalidArgumentError(
      name,
      `must be an integer of at least ${min}, not ${JSON.stringify(String(value)).slice(0, 60)}`,
      `Pass ${name} as a whole number (prices are in nRLC: 1 RLC = 1e9 nRLC).`,
    );
  }
  return parsed;
}
