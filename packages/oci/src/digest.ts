import { createHash } from 'node:crypto';
import { ImageReferenceError } from './errors.js';

/** A content digest as OCI writes it: `sha256:` and 64 lowercase hex digits (the only algorithm used here). */
export type Digest = `sha256:${string}`;

/** An iExec app checksum: the manifest digest's 32 bytes as 0x-hex. */
export type Checksum = `0x${string}`;

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const CHECKSUM = /^0x[a-fA-F0-9]{64}$/;

/**
 * Whether a string is a sha256 digest in OCI's form.
 *
 * @example
 * isDigest('sha256:' + 'ab'.repeat(32)); // true
 */
export function isDigest(value: string): value is Digest {
  return DIGEST.test(value);
}

/**
 * The OCI digest of bytes (sha256).
 *
 * @example
 * digestOf(new TextEncoder().encode('')); // 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
 */
export function digestOf(bytes: Uint8Array | string): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * The hex part of a digest: the file name of its blob in a store.
 *
 * @example
 * hexOfDigest('sha256:e3b0…'); // 'e3b0…'
 */
export function hexOfDigest(digest: string): string {
  if (!isDigest(digest)) throw notADigest(digest);
  return digest.slice('sha256:'.length);
}

/**
 * The iExec app checksum (bytes32) that names an image manifest digest.
 *
 * @example
 * checksumOfDigest(image.manifestDigest); // '0x…' — register the app with this checksum
 */
export function checksumOfDigest(digest: string): Checksum {
  return `0x${hexOfDigest(digest)}`;
}

/**
 * The manifest digest an iExec app checksum names.
 *
 * @example
 * digestOfChecksum(app.checksum); // 'sha256:…' — pull the image by this digest
 */
export function digestOfChecksum(checksum: string): Digest {
  if (!CHECKSUM.test(checksum))
    throw new ImageReferenceError(checksum, 'is not an app checksum (0x and 64 hex digits)', [
      'A Docker app registered with iExec has the sha256 of its image manifest as checksum; register it again with `0x` + that digest.',
    ]);
  return `sha256:${checksum.slice(2).toLowerCase()}`;
}

function notADigest(digest: string): ImageReferenceError {
  return new ImageReferenceError(digest, 'is not a sha256 digest (sha256: and 64 lowercase hex digits)', [
    'Use the digest the image was built or pushed with, e.g. `docker buildx imagetools inspect <image>` shows it.',
  ]);
}
