import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BaseError } from '@confidant/errors';
import { clientFor, interactive, paths, promptPassword, readConfig, resolveNetwork } from '../../context.js';
import { CliError, EXIT, type GlobalOptions, type Output } from '../../output.js';
import { loadProject, prepareBundle, readDeployments, saveDeployment } from './project.js';

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

/** `confidant deploy`: measure the bundle, upload it and register the app on the network. */
export async function runDeploy(
  global: GlobalOptions,
  output: Output,
  options: { name?: string | undefined; image?: string | undefined },
): Promise<void> {
  const project = await loadProject();
  const networkName = global.network ?? readConfig().network ?? 'local';
  // Simulated (local) networks run the measured bundle; networks of real enclaves run images.
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
  const files: Record<string, Uint8Array> = {};
  for (const file of bundle.files) files[file] = await readFile(join(bundle.dir, file));
  const { deployApp } = await import('@confidant/sdk');
  const steps: Record<string, ReturnType<Output['step']>> = {};
  const titles = {
    MEASURE_BUNDLE: 'measuring the bundle',
    UPLOAD_BUNDLE: 'uploading the bundle',
    DEPLOY_APP: 'registering the app on chain',
  } as const;
  let measured: string | undefined;
  let uploaded: string | undefined;
  let deployed: { address: string; measurement: string; multiaddr: string; transactionHash: string; alreadyDeployed: boolean };
  try {
    const fresh = await deployApp(client, {
      name: options.name ?? project.name,
      files,
      declaration: { runtime: project.runtime, entrypoint: bundle.entrypoint },
      onStatusUpdate: ({ title, isDone, payload }) => {
        if (!isDone) steps[title] = output.step(titles[title]);
        else steps[title]?.done(payload ? Object.values(payload).join(' ') : undefined);
        if (isDone && title === 'MEASURE_BUNDLE') measured = payload?.measurement;
        if (isDone && title === 'UPLOAD_BUNDLE') uploaded = payload?.cid;
      },
    });
    deployed = { ...fresh, alreadyDeployed: false };
  } catch (error) {
    // The same name and bundle give the same app address: it is registered already, unchanged.
    if (!(error instanceof BaseError && error.name === 'AssetAlreadyExistsError' && measured)) throw error;
    steps.DEPLOY_APP?.done('already registered, unchanged');
    const asset = (error as BaseError & { asset: string }).asset;
    const previous = (await readDeployments(project))[network.name];
    deployed = {
      address: asset,
      measurement: measured,
      multiaddr: previous?.multiaddr ?? (uploaded ? `/ipfs/${uploaded}` : ''),
      transactionHash: previous?.transactionHash ?? '',
      alreadyDeployed: true,
    };
  }
  const { alreadyDeployed: _unchanged, ...record } = deployed;
  await saveDeployment(project, network.name, { ...record, deployedAt: new Date().toISOString() });
  output.result({ network: network.name, app: project.name, ...deployed, files: bundle.files }, (r) =>
    [
      r.alreadyDeployed ? `✔ ${r.app} is already deployed on ${r.network}, unchanged` : `✔ ${r.app} deployed on ${r.network}`,
      `  address      ${r.address}`,
      `  measurement  ${r.measurement}`,
      `  transaction  ${r.transactionHash}`,
      '',
      'Next: `confidant publish --price <nRLC>` to offer it to requesters.',
    ].join('\n'),
  );
}
