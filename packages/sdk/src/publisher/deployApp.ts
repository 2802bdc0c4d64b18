// Only the Node entry (`@confidant/sdk/node`) reaches this file; the universal entry never imports it
// (the release test bundles that entry for browsers).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type AppRuntime, buildAppImage, type ImageFile, pushImage } from '@confidant/oci';
import type { Address, Hash, Hex } from 'viem';
import type { ConfidantClient } from '../client.js';
import { InvalidArgumentError } from '../errors.js';
import { deployImageApp } from './deployImageApp.js';

export type DeployAppParameters = {
  /** A public name for the app (on chain). */
  name: string;
  /** The app's files, by relative POSIX path (e.g. `src/app.js`); `{ data, executable: true }` keeps an exec bit. */
  files: Readonly<Record<string, ImageFile>>;
  /** How the app starts: its runtime and the file it runs. */
  declaration: { runtime: AppRuntime; entrypoint: string };
  /** The image's repository in the registry (default `iapps/<name>`, lower-cased). */
  repository?: string | undefined;
  onStatusUpdate?:
    | ((status: { title: 'BUILD_IMAGE' | 'PUSH_IMAGE' | 'DEPLOY_APP'; isDone: boolean; payload?: Record<string, string> }) => void)
    | undefined;
};

export type DeployAppReturnType = {
  address: Address;
  /** The image's manifest digest (`sha256:…`): what the enclave proves it runs. */
  digest: string;
  /** The on-chain checksum (`0x` + the digest's hex): the app's measurement. */
  measurement: Hex;
  /** The pushed image, by tag: the app's multiaddr. */
  image: string;
  transactionHash: Hash;
};

/** A repository name from an app's name: lower case, runs of other characters as one dash. */
const repositoryOf = (name: string) =>
  `iapps/${
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'app'
  }`;

/**
 * Deploys an iApp the way iExec 9 registers one, without Docker: builds its OCI image from its files
 * (deterministic: the same files give the same digest, the one `confidant test` prints), pushes it to
 * the network's registry (`registryUrl`) and registers the app on chain — type `DOCKER`, the image
 * reference as multiaddr, the manifest digest as checksum, no MREnclave. Node only (it builds tar
 * layers); in browsers, register an image pushed elsewhere with `deployImageApp`.
 *
 * @example
 * const { address, digest } = await deployApp(confidant, { name: 'hello', files: { 'app.js': source }, declaration: { runtime: 'node', entrypoint: 'app.js' } });
 */
export async function deployApp(client: ConfidantClient, parameters: DeployAppParameters): Promise<DeployAppReturnType> {
  const status = (title: 'BUILD_IMAGE' | 'PUSH_IMAGE' | 'DEPLOY_APP', isDone: boolean, payload?: Record<string, string>) =>
    parameters.onStatusUpdate?.({ title, isDone, ...(payload ? { payload } : {}) });
  if (!client.registryUrl)
    throw new InvalidArgumentError(
      'registryUrl',
      'is not set on the client',
      "Give the client the network's container registry (the local network prints it), or push the image with Docker and call deployImageApp.",
    );
  status('BUILD_IMAGE', false);
  const image = await buildAppImage({ files: parameters.files, ...parameters.declaration });
  status('BUILD_IMAGE', true, { digest: image.manifestDigest });

  status('PUSH_IMAGE', false);
  const pushed = await pushImage({
    registryUrl: client.registryUrl,
    repository: parameters.repository ?? repositoryOf(parameters.name),
    // Tagged by its digest: a tag names one build, and the same build the same tag.
    tag: image.manifestDigest.slice('sha256:'.length, 'sha256:'.length + 12),
    image,
    fetch: client.fetch,
  });
  status('PUSH_IMAGE', true, { image: pushed.reference });

  status('DEPLOY_APP', false);
  const deployed = await deployImageApp(client, { name: parameters.name, image: pushed.reference, digest: pushed.digest });
  status('DEPLOY_APP', true, { address: deployed.address });
  return {
    address: deployed.address,
    digest: pushed.digest,
    measurement: deployed.checksum,
    image: pushed.reference,
    transactionHash: deployed.transactionHash,
  };
}
