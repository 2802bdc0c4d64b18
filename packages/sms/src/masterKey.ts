import { InvalidMasterKeyError } from './errors.js';

/** A master key as configured: 32 bytes, or their base64 or hex (optionally 0x-prefixed) spelling. */
export type MasterKeyInput = Uint8Array | string;

/**
 * The 32-byte master key from its configured form, or a typed error saying what is wrong with it.
 *
 * @example
 * const key = parseMasterKey(configuredKey); // 'q0L…=' or '0x9f…'
 */
export function parseMasterKey(input: MasterKeyInput | undefined): Uint8Array {
  if (input === undefined || input === '') throw new InvalidMasterKeyError('is missing');
  if (input instanceof Uint8Array) {
    if (input.length !== 32) throw new InvalidMasterKeyError(`is ${input.length} bytes long, not 32`);
    return Uint8Array.from(input);
  }
  const text = input.trim();
  // Hex first: 32 bytes of base64 always end in '=', which hex never contains.
  if (/^(0x)?[0-9a-fA-F]+$/.test(text) && text.replace(/^0x/, '').length % 2 === 0) {
    const bytes = Buffer.from(text.replace(/^0x/, ''), 'hex');
    if (bytes.length !== 32) throw new InvalidMasterKeyError(`is ${bytes.length} bytes of hex, not 32`);
    return new Uint8Array(bytes);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) throw new InvalidMasterKeyError('is neither base64 nor hex');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== 32) throw new InvalidMasterKeyError(`is ${bytes.length} bytes of base64, not 32`);
  return new Uint8Array(bytes);
}
