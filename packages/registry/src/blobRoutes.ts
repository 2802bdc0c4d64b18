import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { isDigest } from '@confidant/oci';
import { DistributionError } from './errors.js';
import type { RegistryRequest } from './handler.js';
import { rangeHeaders, type Upload } from './uploads.js';

/**
 * `GET|HEAD /v2/<name>/blobs/<digest>`: the blob's bytes (streamed from disk), its length and digest.
 *
 * @example
 * routes.push({ pattern: /^\/v2\/(.+)\/blobs\/([^/]+)$/, handlers: { GET: getBlob, HEAD: getBlob } });
 */
export async function getBlob({ registry, req, res, params }: RegistryRequest): Promise<void> {
  const digest = digestParameter(params[1]);
  const size = await registry.store.blobSize(digest);
  if (size === undefined) throw new DistributionError('BLOB_UNKNOWN', `blob ${digest} is not in this registry`, { detail: { digest } });
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': size,
    'docker-content-digest': digest,
    etag: `"${digest}"`,
    'cache-control': 'max-age=31536000',
  });
  if (req.method === 'HEAD') return void res.end();
  await pipeline(createReadStream(registry.store.blobPath(digest)), res);
}

/**
 * `POST /v2/<name>/blobs/uploads/`: starts an upload (202 + Location), or with `?digest=` takes
 * the whole blob in this request (201), or with `?mount=` links a blob this registry already has.
 *
 * @example
 * routes.push({ pattern: /^\/v2\/(.+)\/blobs\/uploads\/?$/, handlers: { POST: startUpload } });
 */
export async function startUpload({ registry, req, res, url, name }: RegistryRequest): Promise<void> {
  const mount = url.searchParams.get('mount');
  // Blobs are shared by every repository: a mount is a blob this registry has.
  if (mount !== null && isDigest(mount) && (await registry.store.blobSize(mount)) !== undefined) return created(res, name, mount);
  const digest = url.searchParams.get('digest');
  if (digest !== null) digestParameter(digest);
  const upload = await registry.uploads.start(name);
  if (digest === null) {
    res.writeHead(202, { ...rangeHeaders(upload), 'content-length': 0 }).end();
    return;
  }
  try {
    await registry.uploads.append(upload, req);
    await registry.uploads.complete(upload, digest);
  } catch (error) {
    await registry.uploads.remove(upload);
    throw error;
  }
  created(res, name, digest);
}

/**
 * `GET <upload location>`: how much of the upload the registry has (204 + Range).
 *
 * @example
 * routes.push({ pattern: /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/, handlers: { GET: uploadStatus } });
 */
export function uploadStatus({ registry, res, name, params }: RegistryRequest): void {
  const upload = registry.uploads.find(name, params[1] ?? '');
  res.writeHead(204, rangeHeaders(upload)).end();
}

/**
 * `PATCH <upload location>`: appends a chunk, which must start where the upload ends (else 416).
 *
 * @example
 * routes.push({ pattern: /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/, handlers: { PATCH: patchUpload } });
 */
export async function patchUpload({ registry, req, res, name, params }: RegistryRequest): Promise<void> {
  const upload = registry.uploads.find(name, params[1] ?? '');
  const range = contentRange(req.headers['content-range'], upload);
  const received = await registry.uploads.append(upload, req);
  if (range !== undefined && received !== range.length) await sizeMismatch(registry, upload, range.length, received);
  res.writeHead(202, { ...rangeHeaders(upload), 'content-length': 0 }).end();
}

/**
 * `PUT <upload location>?digest=`: appends a last chunk if there is one, then checks the digest and stores the blob (201).
 *
 * @example
 * routes.push({ pattern: /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/, handlers: { PUT: finishUpload } });
 */
export async function finishUpload({ registry, req, res, url, name, params }: RegistryRequest): Promise<void> {
  const upload = registry.uploads.find(name, params[1] ?? '');
  const digest = digestParameter(url.searchParams.get('digest') ?? undefined);
  const range = contentRange(req.headers['content-range'], upload);
  const received = await registry.uploads.append(upload, req);
  if (range !== undefined && received !== range.length) await sizeMismatch(registry, upload, range.length, received);
  await registry.uploads.complete(upload, digest);
  created(res, name, digest);
}

/**
 * `DELETE <upload location>`: cancels the upload (204).
 *
 * @example
 * routes.push({ pattern: /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/, handlers: { DELETE: cancelUpload } });
 */
export async function cancelUpload({ registry, res, name, params }: RegistryRequest): Promise<void> {
  await registry.uploads.remove(registry.uploads.find(name, params[1] ?? ''));
  res.writeHead(204).end();
}

function created(res: RegistryRequest['res'], name: string, digest: string): void {
  res.writeHead(201, { location: `/v2/${name}/blobs/${digest}`, 'docker-content-digest': digest, 'content-length': 0 }).end();
}

/** A digest from the path or query, or DIGEST_INVALID (sha256 is the one algorithm taken). */
function digestParameter(value: string | undefined): string {
  if (value === undefined || !isDigest(value))
    throw new DistributionError('DIGEST_INVALID', `"${(value ?? '').slice(0, 100)}" is not a sha256 digest`, {
      hint: 'Give the digest as sha256: and 64 lowercase hex digits.',
    });
  return value;
}

/** The chunk's `Content-Range: <start>-<end>` (inclusive), which must continue the upload. */
function contentRange(header: string | undefined, upload: Upload): { length: number } | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/\*|\/\d+)?$/.exec(header.trim());
  const start = Number(match?.[1]);
  const end = Number(match?.[2]);
  if (!match || end < start || start !== upload.size)
    throw new DistributionError(
      'BLOB_UPLOAD_INVALID',
      `the chunk's range ${header.slice(0, 60)} does not continue the upload, which has ${upload.size} bytes`,
      {
        status: 416,
        headers: rangeHeaders(upload),
        detail: { size: upload.size },
        hint: 'Send the next chunk from the byte after the Range this upload answers (GET its location to see it).',
      },
    );
  return { length: end - start + 1 };
}

async function sizeMismatch(registry: RegistryRequest['registry'], upload: Upload, expected: number, received: number): Promise<never> {
  await registry.uploads.remove(upload);
  throw new DistributionError('SIZE_INVALID', `the chunk has ${received} bytes, not the ${expected} of its Content-Range`, {
    detail: { expected, received },
    hint: 'Start the upload again; make each Content-Range match its chunk.',
  });
}
