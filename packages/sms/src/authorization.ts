import type { IncomingMessage } from 'node:http';
import type { Hex } from 'viem';
import { MissingAuthorizationError } from './errors.js';
import { parseInput, signatureSchema } from './inputs.js';

/**
 * The signature in the `Authorization` header: 401 when there is none, 400 when it is not 65 bytes of hex.
 *
 * @example
 * const signature = readSignature(req);
 */
export function readSignature(req: IncomingMessage): Hex {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') throw new MissingAuthorizationError();
  return parseInput(
    signatureSchema,
    header.trim(),
    'the Authorization header',
    'Send the 65-byte personal_sign signature of the challenge, as 0x-prefixed hex.',
    { quote: false },
  );
}
