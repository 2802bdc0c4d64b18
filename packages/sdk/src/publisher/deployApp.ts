import { type AppDeclaration, APP_DECLARATION_FILE, type BundleEntry, createApp, measurementOf } from '@confidant/contracts';
import { cidToMultiaddr, writeZip } from '@confidant/protected-data';
import { type Address, bytesToHex, type Hash, type Hex, sha256 } from 'viem';
import { type ConfidantClient, signerOf } from '../client.js';
import { InvalidArgumentError } from '../errors.js';

export type DeployAppParameters = {
  /** A public name for the app (on chain). */
  name: string;
  /** The app's files, by relative POSIX path (e.g. `src/app.js`). */
  files: Record<string, Uint8Array | string>;
  /** How the enclave starts it. */
  declaration: AppDeclaration;
  onStatusUpdate?:
    | ((status: { title: 'MEASURE_BUNDLE' | 'UPLOAD_BUNDLE' | 'DEPLOY_APP'; isDone: boolean; payload?: Record<string, string> }) => void)
    | undefined;
};

export type DeployAppReturnType = { address: Address; measurement: Hex; multiaddr: Hex; transactionHash: Hash };

const encoder = new TextEncoder();

/**
 * Deploys an app: bundles its files with its declaration, measures the bundle (the measurement the
 * enclave must prove it runs), uploads it to storage and registers the app on chain with that
 * measurement as its checksum (and no MREnclave, as iExec 9 registers apps).
 *
 * @example
 * const { address } = await deployApp(confidant, { name: 'hello', files: { 'app.js': source }, declaration: { runtime: 'node', entrypoint: 'app.js' } });
 */
export async function deployApp(client: ConfidantClient, parameters: DeployAppParameters): Promise<DeployAppReturnType> {
  const { wallet } = signerOf(client, 'deploying an app');
  const status = (title: 'MEASURE_BUNDLE' | 'UPLOAD_BUNDLE' | 'DEPLOY_APP', isDone: boolean, payload?: Record<string, string>) =>
    parameters.onStatusUpdate?.({ title, isDone, ...(payload ? { payload } : {}) });
  const { declaration } = parameters;
  if (declaration.runtime !== 'node' && declaration.runtime !== 'python')
    throw new InvalidArgumentError('declaration.runtime', `is "${String(declaration.runtime)}"`, 'Declare "node" or "python".');
  const files = new Map<string, Uint8Array>();
  for (const [path, content] of Object.entries(parameters.files)) {
    if (
      path === APP_DECLARATION_FILE ||
      path.startsWith('/') ||
      path.split('/').some((part) => part === '..' || part === '') ||
      path.includes('\0')
    ) {
      throw new InvalidArgumentError(
        'files',
        `has the path "${path.slice(0, 80)}"`,
        `Give relative paths inside the bundle (not ${APP_DECLARATION_FILE}, which the SDK writes).`,
      );
    }
    files.set(path, typeof content === 'string' ? encoder.encode(content) : content);
  }
  if (!files.has(declaration.entrypoint))
    throw new InvalidArgumentError(
      'declaration.entrypoint',
      `"${declaration.entrypoint}" is not one of the files`,
      'Name the file the app starts from, e.g. src/app.js.',
    );
  files.set(APP_DECLARATION_FILE, encoder.encode(JSON.stringify({ runtime: declaration.runtime, entrypoint: declaration.entrypoint })));

  status('MEASURE_BUNDLE', false);
  // The worker unpacks bundles as plain files: none is executable, so the measurement says `file`.
  const entries: BundleEntry[] = [...files].map(([path, content]) => ({
    path,
    mode: 'file',
    sha256: bytesToHex(sha256(content, 'bytes')).slice(2),
  }));
  const measurement = measurementOf(entries, declaration);
  status('MEASURE_BUNDLE', true, { measurement });

  status('UPLOAD_BUNDLE', false);
  const zip = writeZip([...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, data]) => ({ path, data })));
  const cid = await client.storage.upload([zip], zip.length);
  const multiaddr = cidToMultiaddr(cid);
  status('UPLOAD_BUNDLE', true, { cid });

  status('DEPLOY_APP', false);
  // No MREnclave: iExec 9 refuses apps that carry one; the checksum is what the enclave proves.
  const { address, hash } = await createApp(wallet, { name: parameters.name, type: 'DOCKER', multiaddr, checksum: measurement });
  status('DEPLOY_APP', true, { address });
  return { address, measurement, multiaddr, transactionHash: hash };
}
