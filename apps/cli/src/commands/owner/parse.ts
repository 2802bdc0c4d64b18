import { isAddressText } from '@confidant/contracts/schemas';
import type { Address, Hex } from 'viem';
import { CliError } from '../../output.js';

// Parsers of command-line values: each failure says what was expected.

const HASH = /^0x[0-9a-fA-F]{64}$/;

export function parseAddress(what: string, value: string): Address {
  if (!isAddressText(value))
    throw new CliError(`${what} "${value.slice(0, 80)}" is not an address`, `Give ${what} as 0x followed by 40 hex digits.`);
  return value as Address;
}

export function parseHash(what: string, value: string): Hex {
  if (!HASH.test(value))
    throw new CliError(`${what} "${value.slice(0, 80)}" is not a 32-byte hash`, `Give ${what} as 0x followed by 64 hex digits.`);
  return value as Hex;
}

export const isAddress = (value: string): boolean => isAddressText(value);
export const isHash = (value: string): boolean => HASH.test(value);

/** A non-negative whole number (nRLC, counts). */
export function parseCount(what: string, value: string, min = 0n): bigint {
  if (!/^\d+$/.test(value) || BigInt(value) < min)
    throw new CliError(
      `${what} "${value.slice(0, 40)}" is not a whole number${min > 0n ? ` of at least ${min}` : ''}`,
      `Give ${what} as digits only, e.g. 10.`,
    );
  return BigInt(value);
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** An ISO date, or a duration from now such as 30m, 12h, 7d, 2w. */
export function parseExpiry(value: string, now = Date.now()): Date {
  const duration = /^(\d+)\s*([smhdw])$/.exec(value.trim());
  const date = duration ? new Date(now + Number(duration[1]) * (UNITS[duration[2] as string] as number)) : new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new CliError(
      `--expires "${value.slice(0, 40)}" is neither a date nor a duration`,
      'Give an ISO date (2030-01-31 or 2030-01-31T12:00:00Z) or a duration like 30m, 12h, 7d, 2w.',
    );
  if (date.getTime() <= now)
    throw new CliError(`--expires ${date.toISOString()} is in the past`, 'Give a date in the future, or a duration like 7d.');
  return date;
}

/** `key=value` pairs, for repeated options. */
export function parsePair(option: string, value: string): [string, string] {
  const at = value.indexOf('=');
  if (at <= 0)
    throw new CliError(
      `${option} "${value.slice(0, 40)}" is not key=value`,
      `Write ${option} key=value, e.g. ${option} ${option === '--secret' ? '1=s3cr3t' : 'photo=./photo.jpg'}.`,
    );
  return [value.slice(0, at), value.slice(at + 1)];
}

/** Collects a repeated option's values. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `--max-price app=5,data=7,workerpool=0` */
export function parseMaxPrices(value: string): { app?: bigint; protectedData?: bigint; workerpool?: bigint } {
  const prices: { app?: bigint; protectedData?: bigint; workerpool?: bigint } = {};
  for (const part of value.split(',').filter(Boolean)) {
    const [key, amount] = parsePair('--max-price', part.trim());
    const name = key === 'data' || key === 'dataset' || key === 'protectedData' ? 'protectedData' : key;
    if (name !== 'app' && name !== 'protectedData' && name !== 'workerpool')
      throw new CliError(`--max-price has "${key}"`, 'Use app=, data= and workerpool= (nRLC), e.g. --max-price app=5,data=7.');
    prices[name] = parseCount(`--max-price ${key}`, amount);
  }
  return prices;
}

/** nRLC as RLC for humans (9 decimals). */
export function formatRlc(nrlc: bigint): string {
  const whole = nrlc / 1_000_000_000n;
  const fraction = (nrlc % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''} RLC`;
}
