import type { IncomingMessage } from 'node:http';
import type { BaseError } from '@confidant/errors';
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

/**
 * Reads a request body, refusing it (with `tooLarge()`) once it passes `limit` bytes; the rest is
 * drained unread so the answer still reaches the client.
 *
 * @example
 * const bytes = await readLimited(req, 65_536, () => new TeeRequestTooLargeError(65_536), () => new InvalidTeeRequestError('…', '…'));
 */
export function readLimited(req: IncomingMessage, limit: number, tooLarge: () => BaseError, unreadable: () => BaseError): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: Error) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (!error) return resolve(Buffer.concat(chunks));
      // Drain what is left so the answer still reaches the client.
      req.resume();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(tooLarge());
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = () => finish(unreadable());
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
