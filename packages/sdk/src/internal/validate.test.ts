import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { addressArgument, countArgument } from './validate.js';

describe('argument checks', () => {
  it('checksums addresses in any case and refuses what is not one, naming the argument', () => {
    expect(addressArgument('app', '0x5fbdb2315678afecb367f032d93f642f64180aa3')).toBe('0x5FbDB2315678afecb367f032d93F642f64180aa3');
    expect(() => addressArgument('app', '0x123')).toThrow(InvalidArgumentError);
    expect(() => addressArgument('authorizedApp', 42)).toThrow('authorizedApp must be a 0x-prefixed 20-byte address');
  });

  it('takes counts as bigint, safe integer or decimal string, within bounds', () => {
    expect(countArgument('n', 3)).toBe(3n);
    expect(countArgument('n', '12')).toBe(12n);
    expect(countArgument('n', 2n ** 200n)).toBe(2n ** 200n);
    expect(() => countArgument('n', -1)).toThrow('n must be an integer of at least 0');
    expect(() => countArgument('n', 0, { min: 1n })).toThrow('at least 1');
    expect(() => countArgument('n', 1.5)).toThrow(InvalidArgumentError);
    expect(() => countArgument('n', 2n ** 256n)).toThrow(InvalidArgumentError);
  });
});
