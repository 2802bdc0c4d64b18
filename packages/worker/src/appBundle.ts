import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getApp, type PocoClient } from '@confidant/contracts';
import type { AppDeclaration } from '@confidant/enclave';
import { multiaddrToLocation, readZip } from '@confidant/protected-data';
import type { Address } from 'viem';
import { z } from 'zod';
import { AppBundleError } from './errors.js';

/** The file of a bundle that says how to start the app. */
export const APP_DECLARATION_FILE = 'confidant.app.json';

/** An app ready for the enclave: its files in a folder, and how to start it. */
export type AppBundle = { dir: string; declaration: AppDeclaration };

/** Finds the bundle of an app (by its on-chain address). */
export type AppBundleResolver = (app: Address) => Promise<AppBundle>;

export type CreateAppBundleResolverParameters = {
  client: PocoClient;
  /** An IPFS gateway: bundles are read at `${gatewayUrl}/ipfs/<cid>`. */
  gatewayUrl: string;
  /** Where downloaded bundles are unpacked (kept: a CID's content never changes). */
  cacheDir: string;
  /** Largest bundle downloaded, default 256 MiB. */
  maxBytes?: number | undefined;
  fetch?: typeof fetch | undefined;
};

const declarationSchema = z.object({ runtime: z.enum(['node', 'python']), entrypoint: z.string().min(1).max(1024) });

/**
 * The default bundle resolver. It reads the app's multiaddr on chain:
 * - `/ipfs/<cid>` (or the binary `/p2p/<CIDv0>`, or an http(s) URL): a zip of STORED entries — what
 *   the SDK and CLI upload — holding the app's files and `confidant.app.json` (`{ runtime,
 *   entrypoint }`), fetched and unpacked once into the cache;
 * - `file:///path/to/folder`: a local folder with the same layout, for development.
 * The enclave measures what it is given and refuses it unless it is the app's on-chain checksum,
 * so a resolver needs no trust.
 *
 * @example
 * const resolve = createAppBundleResolver({ client, gatewayUrl: 'http://127.0.0.1:5001', cacheDir: '.data/worker/bundles' });
 * const { dir, declaration } = await resolve(app);
 */
export function createAppBundleResolver(parameters: CreateAppBundleResolverParameters): AppBundleResolver {
  const fetchImpl = parameters.fetch ?? fetch;
  const maxBytes = parameters.maxBytes ?? 256 * 1024 * 1024;
  return async (app) => {
    const { multiaddr } = await getApp(parameters.client, { app });
    const location = multiaddrToLocation(multiaddr);
    if (location.kind === 'url' && location.url.startsWith('file://')) {
      const dir = fileURLToPath(location.url);
      return { dir, declaration: await readDeclaration(app, dir) };
    }
    let url: string;
    let cacheKey: string;
    if (location.kind === 'ipfs') {
      url = `${parameters.gatewayUrl.replace(/\/+$/, '')}${location.path}`;
      cacheKey = location.cid;
    } else if (location.url.startsWith('/ipfs/')) {
      url = `${parameters.gatewayUrl.replace(/\/+$/, '')}${location.url}`;
      cacheKey = location.url.slice('/ipfs/'.length).replace(/[^A-Za-z0-9]/g, '_');
    } else if (/^https?:\/\//.test(location.url)) {
      url = location.url;
      cacheKey = `${app.toLowerCase()}-${Buffer.from(location.url).toString('base64url').slice(0, 64)}`;
    } else {
      throw new AppBundleError(
        app,
        `has a location the worker cannot fetch (${JSON.stringify(location.url.slice(0, 80))})`,
        'Deploy the app with the CLI or SDK (an IPFS bundle), or give a file:// folder on a development network.',
      );
    }
    const dir = join(parameters.cacheDir, cacheKey);
    const cached = await readDeclaration(app, dir).catch(() => undefined);
    if (cached) return { dir, declaration: cached };
    const zip = await download(app, url, fetchImpl, maxBytes);
    await unpack(app, zip, dir);
    return { dir, declaration: await readDeclaration(app, dir) };
  };
}

async function readDeclaration(app: Address, dir: string): Promise<AppDeclaration> {
  let text: string;
  try {
    text = await readFile(join(dir, APP_DECLARATION_FILE), 'utf8');
  } catch (cause) {
    throw new AppBundleError(
      app,
      `has no ${APP_DECLARATION_FILE} in ${dir}`,
      `Put ${APP_DECLARATION_FILE} ({"runtime":"node","entrypoint":"src/app.js"}) at the root of the bundle.`,
      cause,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = declarationSchema.safeParse(json);
  if (!parsed.success)
    throw new AppBundleError(
      app,
      `has an invalid ${APP_DECLARATION_FILE}`,
      'Declare {"runtime": "node" | "python", "entrypoint": "<path in the bundle>"}.',
    );
  return parsed.data;
}

async function download(app: Address, url: string, fetchImpl: typeof fetch, maxBytes: number): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (cause) {
    throw new AppBundleError(app, `could not be downloaded from ${url}`, 'Check the IPFS gateway URL of the worker.', cause);
  }
  if (!response.ok)
    throw new AppBundleError(
      app,
      `could not be downloaded from ${url} (HTTP ${response.status})`,
      'Check that the bundle was uploaded to IPFS and that the gateway serves it.',
    );
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new AppBundleError(app, `is larger than ${maxBytes} bytes`, 'Make the bundle smaller.');
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > maxBytes) throw new AppBundleError(app, `is larger than ${maxBytes} bytes`, 'Make the bundle smaller.');
  return bytes;
}

/** Unpacks into a fresh folder next to `dir`, then renames it: a crash never leaves half a bundle in the cache. */
async function unpack(app: Address, zip: Uint8Array, dir: string): Promise<void> {
  let entries: Map<string, Uint8Array>;
  try {
    entries = readZip(zip);
  } catch (cause) {
    throw new AppBundleError(
      app,
      'is not a zip of STORED entries',
      'Upload the bundle with the SDK or CLI, which zip it without compression.',
      cause,
    );
  }
  const staging = `${dir}.partial-${process.pid}-${Date.now()}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    for (const [path, data] of entries) {
      const relative = normalize(path);
      if (relative.startsWith('..') || relative.startsWith(sep) || /^[A-Za-z]:/.test(relative) || path.includes('\0')) {
        throw new AppBundleError(
          app,
          `has an entry outside its folder (${JSON.stringify(path.slice(0, 80))})`,
          'Zip the bundle with relative paths only.',
        );
      }
      const target = join(staging, relative);
      if (path.endsWith('/')) {
        await mkdir(target, { recursive: true });
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, data, { mode: 0o644 });
    }
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
