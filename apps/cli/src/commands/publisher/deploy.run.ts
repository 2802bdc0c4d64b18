import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BaseError } from '@confidant/errors';
import { clientFor, interactive, paths, promptPassword, readConfig, resolveNetwork } from '../../context.js';
import { CliError, EXIT, type GlobalOptions, type Output } from '../../output.js';
import { bundleFiles, loadProject, type PreparedBundle, prepareBundle, type Project, readDeployments, saveDeployment } from './project.js';

/** Why Docker is not usable, or undefined when `docker info` answers. */
function dockerProblem(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 15_000 }, (error, _stdout, stderr) => {
      if (!error) return resolve(undefined);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return resolve('the `docker` command is not installed');
      const line = stderr.split('\n').find((text) => text.trim() !== '') ?? error.message;
      resolve(`the Docker engine does not answer (${line.trim().slice(0, 200)})`);
    });
  });
}

/** `confidant deploy`: build the app's image, push it to the network's registry and register the app. */
export async function runDeploy(
  global: GlobalOptions,
  output: Output,
  options: { name?: string | undefined; image?: string | undefined },
): Promise<void> {
  const project = await loadProject();
  const networkName = global.network ?? readConfig().network ?? 'local';
  // Simulated (local) networks get an image built here and pushed to their registry; networks of real
  // enclaves get the production image built by Docker from the project's Dockerfile.
  const simulated = networkName === 'local' || (existsSync(paths().network(networkName)) && resolveNetwork(global).simulated);
  if (!simulated) {
    const problem = await dockerProblem();
    if (problem) {
      throw new CliError(
        `cannot deploy to ${networkName}: ${problem}`,
        `Deploying to a public network builds the app's production image from its Dockerfile, which needs a running Docker engine: install Docker (https://docs.docker.com/engine/install/), start it (\`docker info\` must answer), then run \`confidant deploy --network ${networkName} --image <registry>/<repository>:<tag>\` again. To try the app without Docker, deploy to the local network: \`confidant dev\`, then \`confidant deploy\`.`,
        EXIT.failure,
      );
    }
    const { deployImage } = await import('./deployImage.js');
    return deployImage(global, output, project, options);
  }
  const { client, network } = await clientFor(global, { wallet: true, password: interactive() ? () => promptPassword() : undefined });
  const bundle = await prepareBundle(project);
  const deployed = await deployLocalImage(client, output, { project, bundle, networkName: network.name, name: options.name });
  const { checksumOfDigest } = await import('@confidant/oci');
  const measurement = checksumOfDigest(deployed.digest);
  await saveDeployment(project, network.name, {
    address: deployed.address,
    measurement,
    multiaddr: deployed.image,
    transactionHash: deployed.transactionHash,
    deployedAt: new Date().toISOString(),
  });
  output.result(
    { network: network.name, app: project.name, ...deployed, measurement, multiaddr: deployed.image, files: bundle.files },
    (r) =>
      [
        r.alreadyDeployed ? `✔ ${r.app} is already deployed on ${r.network}, unchanged` : `✔ ${r.app} deployed on ${r.network}`,
        `  address      ${r.address}`,
        `  image        ${r.image}`,
        `  digest       ${r.digest}   (the on-chain checksum; \`confidant test\` prints the same)`,
        `  transaction  ${r.transactionHash}`,
        '',
        'Next: `confidant publish --price <nRLC>` to offer it to requesters.',
      ].join('\n'),
  );
}

type LocalDeployment = { address: string; digest: string; image: string; transactionHash: string; alreadyDeployed: boolean };

/**
 * On a simulated network: builds the app's image, pushes it to the network's registry and registers
 * it, step by step on the output; an app registered already with this image is kept as it is.
 */
async function deployLocalImage(
  client: Awaited<ReturnType<typeof clientFor>>['client'],
  output: Output,
  { project, bundle, networkName, name }: { project: Project; bundle: PreparedBundle; networkName: string; name: string | undefined },
): Promise<LocalDeployment> {
  const { deployApp } = await import('@confidant/sdk/node');
  const steps: Record<string, ReturnType<Output['step']>> = {};
  const titles = {
    BUILD_IMAGE: 'building the image',
    PUSH_IMAGE: 'pushing the image to the registry',
    DEPLOY_APP: 'registering the app on chain',
  } as const;
  const built: { digest?: string; image?: string } = {};
  try {
    const fresh = await deployApp(client, {
      name: name ?? project.name,
      files: await bundleFiles(bundle),
      declaration: { runtime: project.runtime, entrypoint: bundle.entrypoint },
      onStatusUpdate: ({ title, isDone, payload }) => {
        if (!isDone) steps[title] = output.step(titles[title]);
        else steps[title]?.done(payload ? Object.values(payload).join(' ') : undefined);
        if (isDone && title === 'BUILD_IMAGE') built.digest = payload?.digest;
        if (isDone && title === 'PUSH_IMAGE') built.image = payload?.image;
      },
    });
    return {
      address: fresh.address,
      digest: fresh.digest,
      image: fresh.image,
      transactionHash: fresh.transactionHash,
      alreadyDeployed: false,
    };
  } catch (error) {
    // The same name and image give the same app address: it is registered already, unchanged.
    if (!(error instanceof BaseError && error.name === 'AssetAlreadyExistsError' && built.digest && built.image)) throw error;
    steps.DEPLOY_APP?.done('already registered, unchanged');
    const previous = (await readDeployments(project))[networkName];
    return {
      address: (error as BaseError & { asset: string }).asset,
      digest: built.digest,
      image: built.image,
      transactionHash: previous?.transactionHash ?? '',
      alreadyDeployed: true,
    };
  }
}
