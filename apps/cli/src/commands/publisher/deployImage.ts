import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BaseError } from '@confidant/errors';
import { clientFor, interactive, promptPassword } from '../../context.js';
import { CliError, EXIT, type GlobalOptions, type Output } from '../../output.js';
import { PROJECT_FILE, type Project, readDeployments, saveDeployment } from './project.js';

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
      reject(Object.assign(new Error(`docker ${args[0]} exited with ${code}`), { tail }));
    });
  });
}

/** The registry an image name pushes to: its first component when that names a host, else Docker Hub. */
function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && /[.:]|^localhost$/.test(first) ? first : 'docker.io';
}

/** The command the image's ENTRYPOINT runs (its exec form), or one derived from the runtime. */
async function entrypointOf(project: Project, dockerfile: string): Promise<string> {
  const text = await readFile(dockerfile, 'utf8');
  const line = text.split('\n').reverse().find((l) => /^\s*ENTRYPOINT\s+\[/i.test(l));
  if (line) {
    try {
      const parts = JSON.parse(line.replace(/^\s*ENTRYPOINT\s+/i, '')) as unknown;
      if (Array.isArray(parts) && parts.every((part) => typeof part === 'string')) return parts.join(' ');
    } catch {
      // not the exec form: fall back to the runtime's command
    }
  }
  const entry = project.entrypoint.replace(/\.ts$/, '.js');
  return project.runtime === 'python' ? `python3 -u /app/${entry}` : `node /app/${entry}`;
}

/**
 * `confidant deploy` on a network of real enclaves: build the production image from the project's
 * Dockerfile, push it, and register the app with the pushed image's digest as its checksum.
 */
export async function deployImage(global: GlobalOptions, output: Output, project: Project, options: { name?: string | undefined; image?: string | undefined }): Promise<void> {
  const image = options.image ?? (typeof project['image'] === 'string' ? project['image'] : undefined);
  if (!image) {
    throw new CliError(
      'no image name to build and push',
      `Give the registry and repository to push to, e.g. \`confidant deploy --image docker.io/<you>/${project.name.toLowerCase()}:1.0.0\`, or set "image" in ${PROJECT_FILE}.`,
      EXIT.usage,
    );
  }
  const dockerfile = join(project.dir, 'Dockerfile');
  if (!existsSync(dockerfile)) throw new CliError(`no Dockerfile in ${project.dir}`, 'Public networks run the app from its production image: add a Dockerfile (`confidant init` writes one for each template).', EXIT.usage);
  // Before any slow work: the network, the wallet and the image name must all be right.
  const { client, network } = await clientFor(global, { wallet: true, password: interactive() ? () => promptPassword() : undefined });
  const { deployImageApp, isImageName } = await import('@confidant/sdk');
  if (!isImageName(image)) throw new CliError(`"${image}" is not a tagged image name`, `Give registry/repository:tag in lower case, e.g. docker.io/<you>/${project.name.toLowerCase()}:1.0.0.`, EXIT.usage);
  const entrypoint = await entrypointOf(project, dockerfile);

  const build = output.step(`building ${image}`);
  try {
    // Workers run linux/amd64 images, whatever machine builds them.
    await docker(['build', '--platform', 'linux/amd64', '--tag', image, project.dir], output);
    build.done();
  } catch (error) {
    build.fail();
    throw new CliError(`the image did not build: ${(error as Error).message}\n${(error as { tail?: string }).tail ?? ''}`.trim(), 'Fix the Dockerfile or the sources (run with --verbose to see the whole build), then deploy again.', EXIT.failure);
  }
  const push = output.step(`pushing ${image}`);
  let pushed: string;
  try {
    pushed = await docker(['push', image], output);
  } catch (error) {
    push.fail();
    const tail = (error as { tail?: string }).tail ?? '';
    const denied = /denied|unauthorized|authentication required/i.test(tail);
    throw new CliError(
      `the image was built but not pushed: ${(error as Error).message}\n${tail}`.trim(),
      denied ? `Log in to the registry (\`docker login ${registryOf(image)}\`) with an account that may push ${image.replace(/:[^:/]+$/, '')}, then deploy again.` : 'Check the registry is reachable and the name is yours, then deploy again.',
      denied ? EXIT.forbidden : EXIT.failure,
    );
  }
  // `docker push` ends with "<tag>: digest: sha256:<hex> size: <n>": what workers will pull and check.
  let digest = /digest: (sha256:[0-9a-f]{64})/.exec(pushed)?.[1];
  if (!digest) {
    const repoDigests = await docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', image], output).catch(() => '[]');
    digest = /@(sha256:[0-9a-f]{64})/.exec(repoDigests)?.[1];
  }
  if (!digest) {
    push.fail();
    throw new CliError(`the registry gave no digest for ${image}`, 'Push it again (`docker push` must print "digest: sha256:…"), then deploy again.', EXIT.failure);
  }
  push.done(digest);

  const register = output.step('registering the app on chain');
  let deployed: { address: string; checksum: string; transactionHash: string; alreadyDeployed: boolean };
  try {
    const fresh = await deployImageApp(client, { name: options.name ?? project.name, image, digest, entrypoint });
    deployed = { ...fresh, alreadyDeployed: false };
    register.done(fresh.address);
  } catch (error) {
    // The same name, image and digest give the same app address: it is registered already.
    if (!(error instanceof BaseError && error.name === 'AssetAlreadyExistsError')) {
      register.fail();
      throw error;
    }
    register.done('already registered, unchanged');
    const previous = (await readDeployments(project))[network.name];
    deployed = { address: (error as BaseError & { asset: string }).asset, checksum: `0x${digest.slice(7)}`, transactionHash: previous?.transactionHash ?? '', alreadyDeployed: true };
  }
  await saveDeployment(project, network.name, { address: deployed.address, measurement: deployed.checksum, multiaddr: image, transactionHash: deployed.transactionHash, deployedAt: new Date().toISOString() });
  output.result({ network: network.name, app: project.name, image, digest, entrypoint, ...deployed }, (r) =>
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
