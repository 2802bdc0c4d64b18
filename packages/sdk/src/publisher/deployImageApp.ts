import { createApp } from '@confidant/contracts';
import type { Address, Hash, Hex } from 'viem';
import { type ConfidantClient, signerOf } from '../client.js';
import { InvalidArgumentError } from '../errors.js';

export type DeployImageAppParameters = {
  /** A public name for the app (on chain). */
  name: string;
  /** The pushed image, e.g. `docker.io/alice/hello:1.0.0` (what the workers pull). */
  image: string;
  /** The digest the registry gave the pushed image: `sha256:` and 64 hex digits. */
  digest: string;
};

export type DeployImageAppReturnType = { address: Address; checksum: Hex; multiaddr: string; transactionHash: Hash };

// registry[:port]/path:tag — lower-case path components as Docker requires; a tag is required so
// that what is registered names one build.
const IMAGE =
  /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Whether `image` is a tagged image name `deployImageApp` accepts (e.g. `docker.io/alice/hello:1.0.0`). */
export const isImageName = (image: string): boolean => image.length <= 255 && IMAGE.test(image);

/**
 * Registers an app that runs from a container image (public networks): the image name is its
 * multiaddr and the registry's digest of the pushed image its checksum, which is what workers
 * verify after pulling it.
 *
 * @example
 * await deployImageApp(confidant, { name: 'hello', image: 'docker.io/alice/hello:1.0.0', digest: 'sha256:…' });
 */
export async function deployImageApp(client: ConfidantClient, parameters: DeployImageAppParameters): Promise<DeployImageAppReturnType> {
  const { wallet } = signerOf(client, 'deploying an app');
  if (!isImageName(parameters.image)) {
    throw new InvalidArgumentError(
      'image',
      `"${parameters.image.slice(0, 200)}" is not a tagged image name`,
      'Give registry/repository:tag in lower case, e.g. docker.io/alice/hello:1.0.0.',
    );
  }
  const digest = /^sha256:([0-9a-f]{64})$/.exec(parameters.digest);
  if (!digest)
    throw new InvalidArgumentError(
      'digest',
      `"${parameters.digest.slice(0, 100)}" is not a sha256 image digest`,
      'Give the digest `docker push` printed (sha256: and 64 hex digits).',
    );
  const checksum = `0x${digest[1]}` as Hex;
  // As iExec 9 registers an app: DOCKER, the image as multiaddr, its manifest digest as checksum, no MREnclave.
  const { address, hash } = await createApp(wallet, { name: parameters.name, type: 'DOCKER', multiaddr: parameters.image, checksum });
  return { address, checksum, multiaddr: parameters.image, transactionHash: hash };
}
