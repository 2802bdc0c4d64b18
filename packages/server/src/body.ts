import type { IncomingMessage } from 'node:http';
import type { BaseError } from '@confidant/errors';

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
