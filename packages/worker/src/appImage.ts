import { getApp, type PocoClient } from '@confidant/contracts';
import { BaseError } from '@confidant/errors';
import { type Digest, digestOfChecksum, type FetchFunction, parseImageReference, pullImage } from '@confidant/oci';
import type { Address } from 'viem';
import { AppImageError } from './errors.js';

/** An app's image, pulled and verified: what the enclave is given (it verifies and unpacks it again itself). */
export type AppImage = {
  /** The image reference the app is registered with (its multiaddr), e.g. `127.0.0.1:5000/confidant/hello:1.0.0`. */
  reference: string;
  /** The manifest digest (`sha256:…`), from the app's on-chain checksum: the image pulled and run. */
  digest: Digest;
  /** The content-addressed store the image is in (`<storeDir>/blobs/sha256/<hex>`). */
  storeDir: string;
};

/** Pulls the image of an app (by its on-chain address) into the worker's image store. */
export type AppImageResolver = (app: Address) => Promise<AppImage>;

export type CreateAppImageResolverParameters = {
  /** Reads the app's multiaddr (its image reference) and checksum (its manifest digest). */
  client: PocoClient;
  /** The worker's image store, shared by every app: a blob already there is checked again, not downloaded. */
  storeDir: string;
  /** The most bytes one image may have (manifest, config and layers as stored); default 2 GiB. */
  maxBytes?: number | undefined;
  fetch?: FetchFunction | undefined;
};

const deployHint =
  'Deploy the app as an OCI image: `confidant deploy` builds it, pushes it to a registry and registers its reference and manifest digest.';

/**
 * The default image resolver. It reads the app on chain — its multiaddr is the image reference,
 * its checksum the manifest digest — and pulls the image BY DIGEST into the store: the tag in the
 * reference is not used, so a tag moved on the registry cannot change what runs. Every blob is
 * verified while it streams in (see `@confidant/oci`'s pullImage), and pulls of the same image at
 * the same time share one download. An app registered otherwise (an IPFS bundle, a URL) is refused
 * with an AppImageError, as is an image the registry does not serve intact.
 *
 * @example
 * const resolve = createAppImageResolver({ client, storeDir: '.data/worker/images' });
 * const { digest, storeDir } = await resolve(app);
 */
export function createAppImageResolver(parameters: CreateAppImageResolverParameters): AppImageResolver {
  const inFlight = new Map<string, Promise<AppImage>>();
  return async (app) => {
    const registered = await getApp(parameters.client, { app });
    const reference = imageReferenceOf(app, registered.multiaddrText);
    const digest = imageDigestOf(app, registered.checksum);
    const key = `${reference}@${digest}`;
    let pulling = inFlight.get(key);
    if (!pulling) {
      pulling = pullAppImage(parameters, app, reference, digest).finally(() => inFlight.delete(key));
      inFlight.set(key, pulling);
    }
    return pulling;
  };
}

function imageReferenceOf(app: Address, multiaddr: string | undefined): string {
  const shown = multiaddr === undefined ? 'a binary multiaddr' : `"${multiaddr.slice(0, 120)}"`;
  if (multiaddr === undefined || multiaddr.trim() === '')
    throw new AppImageError(app, `is not deployed as an OCI image: its multiaddr is ${shown}, not an image reference`, [deployHint]);
  try {
    parseImageReference(multiaddr);
  } catch (cause) {
    throw new AppImageError(app, `is not deployed as an OCI image: its multiaddr ${shown} is not an image reference`, [deployHint], {
      cause,
    });
  }
  return multiaddr.trim();
}

function imageDigestOf(app: Address, checksum: string): Digest {
  try {
    return digestOfChecksum(checksum);
  } catch (cause) {
    throw new AppImageError(app, `has a checksum (${checksum.slice(0, 80)}) that is not an image manifest digest`, [deployHint], { cause });
  }
}

async function pullAppImage(
  parameters: CreateAppImageResolverParameters,
  app: Address,
  reference: string,
  digest: Digest,
): Promise<AppImage> {
  const { storeDir } = parameters;
  try {
    await pullImage({ reference, digest, storeDir, maxBytes: parameters.maxBytes, fetch: parameters.fetch });
  } catch (cause) {
    const reason = cause instanceof BaseError ? cause.shortMessage : cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    const hints = cause instanceof BaseError && cause.hints.length > 0 ? cause.hints : [`Check the worker's image store ${storeDir}.`];
    throw new AppImageError(app, `could not be pulled by its digest: ${reason}`, hints, {
      cause,
      reference,
      kind: cause instanceof BaseError ? cause.kind : 'unavailable',
    });
  }
  return { reference, digest, storeDir };
}
