import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BaseError } from '@confidant/errors';
import { clientFor, interactive, promptPassword } from '../../context.js';
import { CliError, EXIT, type GlobalOptions, type Output } from '../../output.js';
import { PROJECT_FILE, type Project, readDeployments, saveDeployment } from './project.js';

/** `docker <command>` exited with an error; `tail` holds its last lines of output. */
class DockerCommandError extends BaseError {
  override name = 'DockerCommandError';
  readonly tail: string;
  constructor(command: string, code: number | null, tail: string) {
    super(`docker ${command} exited with ${code}`, {
      hints: ['Run the command again with --verbose to see all of its output.'],
      kind: 'unavailable',
    });
    this.tail = tail;
  }
}

/** Runs `docker <args>`; resolves with its output, rejects with its last lines. Output streams with --verbose. */
function docker(args: string[], output: Output): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const collect = (chunk: Buffer) => {
      text += chunk.toString();
      if (output.verbose) process.stderr.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve(text);
      const tail = text.trim().split('\n').slice(-8).join('\n');
      reject(new DockerCommandError(args[0] ?? '', code, tail));
    });
  });
}

/** The first line of an error's message (a BaseError's short message, without hints). */
const messageOf = (error: unknown): string =>
  error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);

/** The registry an image name pushes to: its first component when that names a host, else Docker Hub. */
function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && /[.:]|^localhost$/.test(first) ? first : 'docker.io';
}

/** The image name to build and push, and the project's Dockerfile: both must exist before any slow work. */
function imageAndDockerfile(project: Project, options: { image?: string | undefined }): { image: string; dockerfile: string } {
  const image = options.image ?? (typeof project['image'] === 'string' ? project['image'] : undefined);
  if (!image) {
    throw new CliError(
      'no image name to build and push',
      `Give the registry and repository to push to, e.g. \`confidant deploy --image docker.io/<you>/${project.name.toLowerCase()}:1.0.0\`, or set "image" in ${PROJECT_FILE}.`,
      EXIT.usage,
    );
  }
  const dockerfile = join(project.dir, 'Dockerfile');
  if (!existsSync(dockerfile))
    throw new CliError(
      `no Dockerfile in ${project.dir}`,
      'Public networks run the app from its production image: add a Dockerfile (`confidant init` writes one for each template).',
      EXIT.usage,
    );
  return { image, dockerfile };
}

/** Builds the production image from the project's Dockerfile, tagged `image`. */
async function buildImage(image: string, project: Project, output: Output): Promise<void> {
  const build = output.step(`building ${image}`);
  try {
    // Workers run linux/amd64 images, whatever machine builds them.
    await docker(['build', '--platform', 'linux/amd64', '--tag', image, project.dir], output);
    build.done();
  } catch (error) {
    build.fail();
    throw new CliError(
      `the image did not build: ${messageOf(error)}\n${error instanceof DockerCommandError ? error.tail : ''}`.trim(),
      'Fix the Dockerfile or the sources (run with --verbose to see the whole build), then deploy again.',
      EXIT.failure,
    );
  }
}

/** The digest the registry gave the pushed image, from `docker push`'s output or else `docker image inspect`. */
async function digestOf(image: string, pushed: string, output: Output): Promise<string | undefined> {
  // `docker push` ends with "<tag>: digest: sha256:<hex> size: <n>": what workers will pull and check.
  let digest = /digest: (sha256:[0-9a-f]{64})/.exec(pushed)?.[1];
  if (!digest) {
    const repoDigests = await docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', image], output).catch(() => '[]');
    digest = /@(sha256:[0-9a-f]{64})/.exec(repoDigests)?.[1];
  }
  return digest;
}

/** Pushes the built image; resolves with its digest. */
async function pushImage(image: string, output: Output): Promise<string> {
  const push = output.step(`pushing ${image}`);
  let pushed: string;
  try {
    pushed = await docker(['push', image], output);
  } catch (error) {
    push.fail();
    const tail = error instanceof DockerCommandError ? error.tail : '';
    const denied = /denied|unauthorized|authentication required/i.test(tail);
    throw new CliError(
      `the image was built but not pushed: ${messageOf(error)}\n${tail}`.trim(),
      denied
        ? `Log in to the registry (\`docker login ${registryOf(image)}\`) with an account that may push ${image.replace(/:[^:/]+$/, '')}, then deploy again.`
        : 'Check the registry is reachable and the name is yours, then deploy again.',
      denied ? EXIT.forbidden : EXIT.failure,
    );
  }
  const digest = await digestOf(image, pushed, output);
  if (!digest) {
    push.fail();
    throw new CliError(
      `the registry gave no digest for ${image}`,
      'Push it again (`docker push` must print "digest: sha256:…"), then deploy again.',
      EXIT.failure,
    );
  }
  push.done(digest);
  return digest;
}

type Deployed = { address: string; checksum: string; transactionHash: string; alreadyDeployed: boolean };

/** Registers the app on chain with the pushed image's digest; an app registered already is kept as it is. */
async function registerApp(
  client: Awaited<ReturnType<typeof clientFor>>['client'],
  networkName: string,
  project: Project,
  app: { name: string; image: string; digest: string },
  output: Output,
): Promise<Deployed> {
  const { deployImageApp } = await import('@confidant/sdk');
  const register = output.step('registering the app on chain');
  try {
    const fresh = await deployImageApp(client, app);
    const deployed: Deployed = { ...fresh, alreadyDeployed: false };
    register.done(fresh.address);
    return deployed;
  } catch (error) {
    // The same name, image and digest give the same app address: it is registered already.
    if (!(error instanceof BaseError && error.name === 'AssetAlreadyExistsError')) {
      register.fail();
      throw error;
    }
    register.done('already registered, unchanged');
    const previous = (await readDeployments(project))[networkName];
    return {
      address: (error as BaseError & { asset: string }).asset,
      checksum: `0x${app.digest.slice(7)}`,
      transactionHash: previous?.transactionHash ?? '',
      alreadyDeployed: true,
    };
  }
}

/**
 * `confidant deploy` on a network of real enclaves: build the production image from the project's
 * Dockerfile, push it, and register the app with the pushed image's digest as its checksum.
 */
export async function deployImage(
  global: GlobalOptions,
  output: Output,
  project: Project,
  options: { name?: string | undefined; image?: string | undefined },
): Promise<void> {
  const { image } = imageAndDockerfile(project, options);
  // Before any slow work: the network, the wallet and the image name must all be right.
  const { client, network } = await clientFor(global, { wallet: true, password: interactive() ? () => promptPassword() : undefined });
  const { isImageName } = await import('@confidant/sdk');
  if (!isImageName(image))
    throw new CliError(
      `"${image}" is not a tagged image name`,
      `Give registry/repository:tag in lower case, e.g. docker.io/<you>/${project.name.toLowerCase()}:1.0.0.`,
      EXIT.usage,
    );
  await buildImage(image, project, output);
  const digest = await pushImage(image, output);
  const app = { name: options.name ?? project.name, image, digest };
  const deployed = await registerApp(client, network.name, project, app, output);
  await saveDeployment(project, network.name, {
    address: deployed.address,
    measurement: deployed.checksum,
    multiaddr: image,
    transactionHash: deployed.transactionHash,
    deployedAt: new Date().toISOString(),
  });
  output.result({ network: network.name, app: project.name, image, digest, ...deployed }, (r) =>
    [
      r.alreadyDeployed ? `✔ ${r.app} is already deployed on ${r.network}, unchanged` : `✔ ${r.app} deployed on ${r.network}`,
      `  address      ${r.address}`,
      `  image        ${r.image}`,
      `  digest       ${r.digest}   (the on-chain checksum workers verify)`,
      `  transaction  ${r.transactionHash}`,
      '',
      `Next: \`confidant publish --network ${r.network} --price <nRLC>\` to offer it to requesters.`,
    ].join('\n'),
  );
}
