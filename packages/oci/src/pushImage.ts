import type { BuiltImage } from './buildImage.js';
import { type Checksum, checksumOfDigest, type Digest } from './digest.js';
import { ImageDigestMismatchError, ImageReferenceError, RegistryRequestError } from './errors.js';
import { isRepositoryName, isTag } from './reference.js';
import { createRegistrySession, type FetchFunction, type RegistrySession } from './registryHttp.js';

export type PushImageParameters = {
  /** The registry's base URL, e.g. the devnet's http://127.0.0.1:5000. */
  registryUrl: string;
  /** e.g. `confidant/hello`. */
  repository: string;
  tag: string;
  image: BuiltImage;
  fetch?: FetchFunction | undefined;
  /** Blobs up to this size go up in one request, bigger ones in chunks of this size (default 8 MiB). */
  chunkBytes?: number | undefined;
};

export type PushImageReturnType = {
  /** The manifest digest, as the registry confirmed it. */
  digest: Digest;
  /** The same, as iExec's app checksum. */
  checksum: Checksum;
  /** `host:port/repository:tag`: the app's multiaddr. */
  reference: string;
  /** Digests of the blobs that were uploaded (those the registry already had are skipped). */
  uploaded: Digest[];
};

type Blob = { digest: Digest; bytes: Uint8Array };

/**
 * Pushes a built image to a registry (OCI Distribution API): each blob the registry does not have
 * yet (HEAD) goes up in one request, or in chunks past `chunkBytes`; then the manifest is put under
 * the tag, and the digest the registry answers is checked against the image's own.
 *
 * @example
 * const image = await buildImage({ files, entrypoint: ['node', 'index.js'] });
 * const { reference, checksum } = await pushImage({ registryUrl: devnet.registryUrl, repository: 'confidant/hello', tag: '1.0.0', image });
 * // register the app with multiaddr = reference, checksum = checksum
 */
export async function pushImage(parameters: PushImageParameters): Promise<PushImageReturnType> {
  const { repository, tag, image } = parameters;
  if (!isRepositoryName(repository))
    throw new ImageReferenceError(repository, 'is not a valid repository name', [
      'Use lowercase path components such as "confidant/hello".',
    ]);
  if (!isTag(tag)) throw new ImageReferenceError(tag, 'is not a valid tag', ['Use letters, digits, ".", "_" and "-", such as "1.0.0".']);
  const session = createRegistrySession({ baseUrl: parameters.registryUrl, repository, actions: 'pull,push', fetch: parameters.fetch });
  const chunkBytes = Math.max(1, parameters.chunkBytes ?? 8 * 1024 * 1024);
  const uploaded: Digest[] = [];
  const blobs: Blob[] = [{ digest: image.configDigest, bytes: image.config }, ...image.layers];
  for (const blob of blobs) {
    const present = await session.request({ method: 'HEAD', target: `/v2/${repository}/blobs/${blob.digest}`, expect: [200, 404] });
    if (present.status === 200) continue;
    await (blob.bytes.length <= chunkBytes
      ? uploadWhole(session, repository, blob)
      : uploadInChunks(session, repository, blob, chunkBytes));
    uploaded.push(blob.digest);
  }
  const put = await session.request({
    method: 'PUT',
    target: `/v2/${repository}/manifests/${tag}`,
    headers: { 'content-type': image.mediaType },
    body: image.manifest,
    expect: [201],
  });
  await put.body?.cancel();
  const answered = put.headers.get('docker-content-digest');
  if (answered !== null && answered !== image.manifestDigest)
    throw new ImageDigestMismatchError({ kind: 'manifest' }, image.manifestDigest, answered);
  return {
    digest: image.manifestDigest,
    checksum: checksumOfDigest(image.manifestDigest),
    reference: `${session.registry}/${repository}:${tag}`,
    uploaded,
  };
}

/** One POST with the digest; a registry that does not take that answers 202 and gets a PUT instead (spec: "Single POST"). */
async function uploadWhole(session: RegistrySession, repository: string, blob: Blob): Promise<void> {
  const headers = { 'content-type': 'application/octet-stream' };
  const posted = await session.request({
    method: 'POST',
    target: `/v2/${repository}/blobs/uploads/?digest=${blob.digest}`,
    headers,
    body: blob.bytes,
    expect: [201, 202],
  });
  await posted.body?.cancel();
  if (posted.status === 201) return;
  const location = withDigest(session, uploadLocation(session, posted, repository), blob.digest);
  const put = await session.request({ method: 'PUT', target: location, headers, body: blob.bytes, expect: [201] });
  await put.body?.cancel();
}

/** POST for a session, a PATCH per chunk (Content-Range, each at the next Location), then PUT with the digest. */
async function uploadInChunks(session: RegistrySession, repository: string, blob: Blob, chunkBytes: number): Promise<void> {
  const started = await session.request({
    method: 'POST',
    target: `/v2/${repository}/blobs/uploads/`,
    body: new Uint8Array(0),
    expect: [202],
  });
  await started.body?.cancel();
  let location = uploadLocation(session, started, repository);
  for (let start = 0; start < blob.bytes.length; start += chunkBytes) {
    const chunk = blob.bytes.subarray(start, Math.min(start + chunkBytes, blob.bytes.length));
    const patched = await session.request({
      method: 'PATCH',
      target: location,
      headers: { 'content-type': 'application/octet-stream', 'content-range': `${start}-${start + chunk.length - 1}` },
      body: chunk,
      expect: [202],
    });
    await patched.body?.cancel();
    location = uploadLocation(session, patched, repository);
  }
  const put = await session.request({ method: 'PUT', target: withDigest(session, location, blob.digest), expect: [201] });
  await put.body?.cancel();
}

function uploadLocation(session: RegistrySession, response: Response, repository: string): string {
  const location = response.headers.get('location');
  if (!location)
    throw new RegistryRequestError({
      registry: session.registry,
      method: 'POST',
      path: `/v2/${repository}/blobs/uploads/`,
      status: response.status,
      registryMessage: 'no Location for the upload',
    });
  return session.resolve(location).toString();
}

function withDigest(session: RegistrySession, location: string, digest: Digest): string {
  const url = session.resolve(location);
  url.searchParams.set('digest', digest);
  return url.toString();
}
