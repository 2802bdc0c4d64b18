import type { IncomingMessage } from 'node:http';
import { readLimited } from '@confidant/server';
import { InvalidSecretRequestError, SecretTooLargeError } from './errors.js';

/** iExec's SMS refuses secrets over 4096 bytes (UTF-8). */
export const MAX_SECRET_BYTES = 4096;

/**
 * Reads a secret from the request body as UTF-8 text, refusing it once it passes `limit` bytes
 * (the rest is drained unread), and refusing an empty or non-UTF-8 body.
 *
 * @example
 * const value = await readSecretBody(req);
 */
export async function readSecretBody(req: IncomingMessage, limit = MAX_SECRET_BYTES): Promise<string> {
  const bytes = await readLimited(
    req,
    limit,
    () => new SecretTooLargeError(limit),
    () => new InvalidSecretRequestError('the request body could not be read', 'Send the request again.'),
  );
  if (bytes.length === 0) {
    throw new InvalidSecretRequestError(
      'the request has no secret: its body is empty',
      'Send the secret value as the request body (text/plain).',
    );
  }
  try {
    // ignoreBOM keeps every byte, so the text hashes to the bytes the client signed.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new InvalidSecretRequestError('the secret is not UTF-8 text', 'Send text (encode binary values in base64 first).');
  }
}
