import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import {
  digestOf,
  imageIndexMediaTypes,
  imageIndexSchema,
  imageManifestMediaTypes,
  imageManifestSchema,
  isDigest,
  isTag,
} from '@confidant/oci';
import { DistributionError } from './errors.js';
import type { RegistryRequest } from './handler.js';

/**
 * `GET|HEAD /v2/<name>/manifests/<tag-or-digest>`: the manifest's bytes as pushed, with its media type and digest.
 *
 * @example
 * routes.push({ pattern: /^\/v2\/(.+)\/manifests\/([^/]+)$/, handlers: { GET: getManifest, HEAD: getManifest } });
 */
export async function getManifest({ registry, req, res, name, params }: RegistryRequest): Promise<void> {
  const reference = referenceParameter(params[1]);
  const found = await registry.store.findManifest(name, reference);
  if (!('digest' in found)) throw unknownManifest(name, reference, found.repository);
  res.writeHead(200, {
    'content-type': found.mediaType,
    'content-length': found.size,
    'docker-content-digest': found.digest,
    etag: `"${found.digest}"`,
  });
  if (req.method === 'HEAD') return void res.end();
  await pipeline(createReadStream(found.path), res);
}

/**
 * `PUT /v2/<name>/manifests/<tag-or-digest>`: stores a manifest (exact bytes) once it is valid JSON
 * of a known schema whose blobs (or, for an index, manifests) the registry has; a digest reference
 * must be the body's digest.
 *
 * @example
 * routes.push({ pattern: /^\/v2\/(.+)\/manifests\/([^/]+)$/, handlers: { PUT: putManifest } });
 */
export async function putManifest({ registry, req, res, name, params }: RegistryRequest): Promise<void> {
  const reference = referenceParameter(params[1]);
  const bytes = await readManifestBody(req, registry.maxManifestBytes);
  const mediaType = manifestMediaType(bytes, req.headers['content-type']);
  await checkReferences(registry, name, bytes, mediaType);
  const digest = digestOf(bytes);
  if (isDigest(reference) && reference !== digest)
    throw new DistributionError('DIGEST_INVALID', `the manifest's digest is ${digest}, not ${reference}`, {
      detail: { expected: reference, actual: digest },
    });
  await registry.store.putManifest(name, { digest, mediaType, bytes }, isDigest(reference) ? undefined : reference);
  res.writeHead(201, { location: `/v2/${name}/manifests/${digest}`, 'docker-content-digest': digest, 'content-length': 0 }).end();
}

/**
 * `GET /v2/<name>/tags/list[?n=&last=]`: the repository's tags in order, `n` at a time after `last`, with a `Link` to the next page.
 *
 * @example
 * routes.push({ pattern: /^\/v2\/(.+)\/tags\/list$/, handlers: { GET: listTags } });
 */
export async function listTags({ registry, res, url, name }: RegistryRequest): Promise<void> {
  const all = await registry.store.listTags(name);
  if (all === undefined)
    throw new DistributionError('NAME_UNKNOWN', `the repository ${name} is not in this registry`, { detail: { name } });
  const last = url.searchParams.get('last');
  const n = url.searchParams.get('n');
  if (n !== null && !/^\d{1,9}$/.test(n))
    throw new DistributionError('UNSUPPORTED', `n=${n.slice(0, 20)} is not a number of tags`, {
      hint: 'Give n as a non-negative integer.',
    });
  const after = last === null ? all : all.filter((tag) => tag > last);
  const tags = n === null ? after : after.slice(0, Number(n));
  const more = n !== null && Number(n) > 0 && after.length > tags.length;
  const link = more ? { link: `</v2/${name}/tags/list?n=${n}&last=${encodeURIComponent(tags.at(-1) ?? '')}>; rel="next"` } : {};
  const body = JSON.stringify({ name, tags });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...link }).end(body);
}

function referenceParameter(value: string | undefined): string {
  if (value !== undefined && (isTag(value) || isDigest(value))) return value;
  throw new DistributionError('MANIFEST_INVALID', `"${(value ?? '').slice(0, 100)}" is neither a tag nor a sha256 digest`, {
    hint: 'Name the manifest by a tag ([a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}) or by its digest.',
  });
}

function unknownManifest(name: string, reference: string, repositoryExists: boolean): DistributionError {
  if (!repositoryExists)
    return new DistributionError('NAME_UNKNOWN', `the repository ${name} is not in this registry`, { detail: { name } });
  return new DistributionError('MANIFEST_UNKNOWN', `${name} has no manifest ${reference}`, { detail: { name, reference } });
}

/** The body, refused (413) past the limit while it streams in: never more than the limit in memory. */
async function readManifestBody(req: RegistryRequest['req'], limit: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new DistributionError('SIZE_INVALID', `the manifest is over this registry's limit of ${limit} bytes`, {
      status: 413,
      detail: { limit },
      closeConnection: true,
    });
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** The manifest's media type: its `mediaType` field, else the request's Content-Type; both must agree and be a known one. */
function manifestMediaType(bytes: Uint8Array, contentType: string | undefined): string {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw invalid('the manifest is not JSON');
  }
  const field = (json as { mediaType?: unknown } | null)?.mediaType;
  const header = contentType?.split(';')[0]?.trim();
  const mediaType = typeof field === 'string' ? field : header;
  if (typeof field === 'string' && header && header !== field && header !== 'application/json')
    throw invalid(`the manifest's mediaType ${field.slice(0, 100)} is not its Content-Type ${header.slice(0, 100)}`);
  if (!mediaType || ![...imageManifestMediaTypes, ...imageIndexMediaTypes].includes(mediaType))
    throw invalid(`the manifest's media type ${String(mediaType).slice(0, 100)} is not an OCI or Docker v2 manifest or index`);
  const parsed = (imageManifestMediaTypes.includes(mediaType) ? imageManifestSchema : imageIndexSchema).safeParse(json);
  if (!parsed.success)
    throw invalid(`the manifest does not follow its schema: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return mediaType;
}

/** Every blob an image manifest names must be here (with its size), every manifest an index names too. */
async function checkReferences(registry: RegistryRequest['registry'], name: string, bytes: Uint8Array, mediaType: string): Promise<void> {
  const json = JSON.parse(new TextDecoder().decode(bytes));
  if (imageIndexMediaTypes.includes(mediaType)) {
    for (const entry of imageIndexSchema.parse(json).manifests) {
      if (!('digest' in (await registry.store.findManifest(name, entry.digest)))) throw blobUnknown(entry.digest, 'manifest');
    }
    return;
  }
  const manifest = imageManifestSchema.parse(json);
  for (const descriptor of [manifest.config, ...manifest.layers]) {
    // A layer kept elsewhere (non-distributable, with urls) is not pushed here.
    if (descriptor.urls?.length) continue;
    const size = await registry.store.blobSize(descriptor.digest);
    if (size === undefined) throw blobUnknown(descriptor.digest, 'blob');
    if (size !== descriptor.size) throw invalid(`the manifest says ${descriptor.digest} has ${descriptor.size} bytes; it has ${size}`);
  }
}

function blobUnknown(digest: string, what: string): DistributionError {
  return new DistributionError('MANIFEST_BLOB_UNKNOWN', `the manifest names ${what} ${digest}, which is not in this registry`, {
    detail: { digest },
    hint: 'Push every blob (config and layers) before the manifest that names them.',
  });
}

function invalid(message: string): DistributionError {
  return new DistributionError('MANIFEST_INVALID', message, {
    hint: 'Push an OCI image manifest (or index) that is valid JSON of its schema.',
  });
}
