import { type Digest, isDigest } from './digest.js';
import { ImageReferenceError } from './errors.js';

/** An image reference, split: `registry/repository[:tag][@digest]`. */
export type ImageReference = {
  /** Host and optional port, e.g. `127.0.0.1:5000`; `docker.io` for Docker Hub. */
  registry: string;
  /** e.g. `confidant/hello`; Docker Hub's official images are `library/<name>`. */
  repository: string;
  tag?: string | undefined;
  digest?: Digest | undefined;
};

// distribution-spec's grammar for a repository name and a tag.
const REPOSITORY = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DOMAIN =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$/;
const DOCKER_HUB = 'docker.io';

/**
 * Whether a repository name follows distribution-spec's grammar (lowercase path components).
 *
 * @example
 * isRepositoryName('confidant/hello'); // true
 * isRepositoryName('Alice/App'); // false
 */
export function isRepositoryName(name: string): boolean {
  return name.length <= 255 && REPOSITORY.test(name);
}

/**
 * Whether a string is a valid tag (distribution-spec: at most 128 of `[a-zA-Z0-9_.-]`, not starting with `.` or `-`).
 *
 * @example
 * isTag('1.0.0'); // true
 */
export function isTag(tag: string): boolean {
  return TAG.test(tag);
}

/**
 * Splits an image reference as Docker does: a first component with a `.` or `:`, or `localhost`,
 * is the registry (else Docker Hub, `docker.io`, where one-component names are `library/<name>`).
 * No tag is added when none is given.
 *
 * @example
 * parseImageReference('127.0.0.1:5000/confidant/hello:1.0.0');
 * // { registry: '127.0.0.1:5000', repository: 'confidant/hello', tag: '1.0.0' }
 * parseImageReference('node@sha256:…'); // { registry: 'docker.io', repository: 'library/node', digest: 'sha256:…' }
 */
export function parseImageReference(reference: string): ImageReference {
  const input = reference.trim();
  const at = input.indexOf('@');
  const named = at === -1 ? input : input.slice(0, at);
  const digest = at === -1 ? undefined : input.slice(at + 1);
  if (digest !== undefined && !isDigest(digest))
    throw new ImageReferenceError(reference, 'has a digest that is not sha256: and 64 lowercase hex digits');
  const slash = named.indexOf('/');
  const first = slash === -1 ? '' : named.slice(0, slash);
  const hasRegistry =
    slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  let registry = hasRegistry ? first : DOCKER_HUB;
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  if (!DOMAIN.test(registry)) throw new ImageReferenceError(reference, `has "${registry}" as registry, which is not a host[:port]`);
  let path = hasRegistry ? named.slice(slash + 1) : named;
  const colon = path.lastIndexOf(':');
  const tag = colon === -1 ? undefined : path.slice(colon + 1);
  if (colon !== -1) path = path.slice(0, colon);
  if (registry === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  if (path !== path.toLowerCase())
    throw new ImageReferenceError(reference, 'has a repository name with capital letters', ['Repository names are lowercase.']);
  if (!isRepositoryName(path))
    throw new ImageReferenceError(reference, `has "${path}" as repository, which is not a valid repository name`);
  if (tag !== undefined && !isTag(tag)) throw new ImageReferenceError(reference, `has "${tag}" as tag, which is not a valid tag`);
  return { registry, repository: path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/**
 * Writes a reference back as `registry/repository[:tag][@digest]` (always with the registry).
 *
 * @example
 * formatImageReference({ registry: '127.0.0.1:5000', repository: 'confidant/hello', digest }); // '127.0.0.1:5000/confidant/hello@sha256:…'
 */
export function formatImageReference(reference: ImageReference): string {
  return `${reference.registry}/${reference.repository}${reference.tag ? `:${reference.tag}` : ''}${reference.digest ? `@${reference.digest}` : ''}`;
}

/**
 * The base URL of a registry's API: plain http on loopback (the devnet's), https elsewhere; Docker
 * Hub's API is at registry-1.docker.io.
 *
 * @example
 * registryBaseUrl('127.0.0.1:5000'); // 'http://127.0.0.1:5000'
 * registryBaseUrl('docker.io'); // 'https://registry-1.docker.io'
 */
export function registryBaseUrl(registry: string): string {
  if (registry === DOCKER_HUB) return 'https://registry-1.docker.io';
  const host = registry.startsWith('[') ? registry.slice(0, registry.indexOf(']') + 1) : registry.split(':')[0];
  const loopback = host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host ?? '');
  return `${loopback ? 'http' : 'https'}://${registry}`;
}
