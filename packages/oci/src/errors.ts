import { BaseError, type BaseErrorKind } from '@confidant/errors';

/** Which blob of an image a check is about: the manifest, the config, or a layer (its index in the manifest, from 0). */
export type ImageBlob = { kind: 'manifest' } | { kind: 'config' } | { kind: 'layer'; index: number; uncompressed?: boolean };

function describeBlob(blob: ImageBlob): string {
  if (blob.kind !== 'layer') return `the image's ${blob.kind}`;
  return `the image's layer ${blob.index}${blob.uncompressed ? ' (uncompressed)' : ''}`;
}

/**
 * A blob of an image is not the one its digest names: tampered with, corrupted, or another image.
 * Nothing of it is used; a blob in a store that fails the check is removed from it.
 */
export class ImageDigestMismatchError extends BaseError {
  override name = 'ImageDigestMismatchError';
  readonly blob: ImageBlob;
  readonly expected: string;
  readonly actual: string;
  constructor(blob: ImageBlob, expected: string, actual: string) {
    const namer =
      blob.kind === 'manifest'
        ? 'its digest names'
        : blob.kind === 'layer' && blob.uncompressed
          ? 'its config names'
          : 'its manifest names';
    super(`${describeBlob(blob)} is not the one ${namer}: ${expected} expected, ${actual} received`, {
      hints: [
        'The registry (or something between it and you) serves other bytes than the image that was registered: pull it from a registry you trust, or build and push it again and register the new checksum.',
      ],
      kind: 'invalid-input',
      fields: { blob, expected, actual },
    });
    this.blob = blob;
    this.expected = expected;
    this.actual = actual;
  }
}

/** An image manifest or config is not one this package accepts (malformed, an index, an unknown media type). */
export class ImageManifestInvalidError extends BaseError {
  override name = 'ImageManifestInvalidError';
  constructor(reason: string, hints: readonly string[] = [], cause?: unknown) {
    super(reason, {
      hints:
        hints.length > 0
          ? hints
          : ['Build the image for linux/amd64 with a current Docker or Buildx (an OCI or Docker v2 image manifest).'],
      kind: 'invalid-input',
      cause,
      fields: { reason },
    });
  }
}

/** An image is bigger than the limit set for a pull or an unpack. */
export class ImageTooLargeError extends BaseError {
  override name = 'ImageTooLargeError';
  readonly limit: number;
  constructor(what: string, limit: number) {
    super(`${what} is over the limit of ${limit} bytes`, {
      hints: ['Make the image smaller (a slim base image, only the files the app needs), or raise the limit if this size is expected.'],
      kind: 'invalid-input',
      fields: { what, limit },
    });
    this.limit = limit;
  }
}

/** A layer holds an entry that would land outside the unpack directory, or that this package does not create. */
export class UnsafeImageEntryError extends BaseError {
  override name = 'UnsafeImageEntryError';
  readonly entry: string;
  constructor(entry: string, reason: string) {
    super(`the image's entry "${entry.slice(0, 200)}" ${reason}`, {
      hints: ['An image whose files reach outside its own root is refused: rebuild it from a regular Dockerfile or with buildImage.'],
      kind: 'invalid-input',
      fields: { entry: entry.slice(0, 200), reason },
    });
    this.entry = entry;
  }
}

/** What was given to buildImage cannot make an image: a file's path, the working directory, an environment variable. */
export class ImageBuildError extends BaseError {
  override name = 'ImageBuildError';
  constructor(subject: string, reason: string, hint: string) {
    super(`${subject.slice(0, 240)} ${reason}`, {
      hints: [hint],
      kind: 'invalid-input',
      fields: { subject: subject.slice(0, 240), reason },
    });
  }
}

/** An image's entrypoint is not one the simulated enclave can start. */
export class ImageLaunchError extends BaseError {
  override name = 'ImageLaunchError';
  constructor(reason: string, hint: string) {
    super(reason, { hints: [hint], kind: 'invalid-input', fields: { reason } });
  }
}

/** An image reference, digest or checksum is not well formed. */
export class ImageReferenceError extends BaseError {
  override name = 'ImageReferenceError';
  constructor(input: string, reason: string, hints: readonly string[] = []) {
    super(`"${input.slice(0, 300)}" ${reason}`, {
      hints:
        hints.length > 0
          ? hints
          : [
              'Write an image reference as [registry/]repository[:tag][@sha256:…], e.g. 127.0.0.1:5000/confidant/hello:1.0.0 or alice/app:1.',
            ],
      kind: 'invalid-input',
      fields: { input: input.slice(0, 300), reason },
    });
  }
}

/** A blob an image needs is not in the local store. */
export class ImageNotStoredError extends BaseError {
  override name = 'ImageNotStoredError';
  constructor(storeDir: string, what: string, digest: string) {
    super(`${what} (${digest}) is not in the image store ${storeDir}`, {
      hints: ['Pull the image into this store first (pullImage), by the digest that was registered.'],
      kind: 'not-found',
      fields: { storeDir, what, digest },
    });
  }
}

export type RegistryRequestErrorParameters = {
  /** The registry's host (and port). */
  registry: string;
  method: string;
  /** The path asked for, without query (signed URLs keep their secrets there). */
  path: string;
  /** The HTTP status; undefined when the registry could not be reached. */
  status?: number | undefined;
  /** The registry's error code (`MANIFEST_UNKNOWN`…) and message, from its `{"errors": […]}` body. */
  code?: string | undefined;
  registryMessage?: string | undefined;
  cause?: unknown;
};

/** A container registry refused a request, answered something unexpected, or could not be reached. */
export class RegistryRequestError extends BaseError {
  override name = 'RegistryRequestError';
  readonly status: number | undefined;
  readonly code: string | undefined;
  constructor(parameters: RegistryRequestErrorParameters) {
    const { registry, method, path, status, code, registryMessage } = parameters;
    const answer =
      status === undefined
        ? 'could not be reached'
        : `answered ${status}${code ? ` ${code}` : ''}${registryMessage ? ` (${registryMessage.slice(0, 300)})` : ''}`;
    super(`the registry ${registry} ${answer} to ${method} ${path.slice(0, 300)}`, {
      hints: [registryHint(status)],
      kind: registryKind(status),
      cause: parameters.cause,
      fields: { registry, method, path: path.slice(0, 300), status, code, registryMessage: registryMessage?.slice(0, 300) },
    });
    this.status = status;
    this.code = code;
  }
}

function registryHint(status: number | undefined): string {
  if (status === undefined) return 'Check that the registry runs and that its address is right (the devnet serves one on loopback).';
  if (status === 401 || status === 403)
    return 'The image is not public: make it public, or push it to a registry the worker can pull from anonymously.';
  if (status === 404) return 'Check the repository name and the digest; push the image again if it was removed.';
  if (status === 429) return 'The registry limits anonymous pulls: retry later.';
  if (status >= 500) return 'The registry failed: retry later.';
  return 'The registry refused the request: check the image and its reference.';
}

function registryKind(status: number | undefined): BaseErrorKind {
  if (status === undefined || status >= 500 || status === 429) return 'unavailable';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  return 'invalid-input';
}
