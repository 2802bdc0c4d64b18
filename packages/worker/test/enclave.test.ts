import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  buildAppOrder,
  buildRequestOrder,
  buildWorkerpoolOrder,
  createApp,
  getTask,
  matchOrders,
  recoverWorkerAuthorizationSigner,
  signOrder,
  TDX_TAG,
} from '@confidant/contracts';
import { createQuoteVerifier, createSimulatedPlatform, sealToEnclave } from '@confidant/enclave';
import { type LocalChain, startLocalChain } from '@confidant/local-chain';
import { type BuiltImage, buildAppImage, checksumOfDigest, type FetchFunction, ImageDigestMismatchError, pushImage } from '@confidant/oci';
import { cidToMultiaddr, unzip } from '@confidant/protected-data';
import { type DevnetRegistry, startRegistry } from '@confidant/registry';
import { type DevnetStorage, startStorage } from '@confidant/storage';
import { type Address, bytesToHex, type Hex, hexToString } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppImageError, createAppImageResolver, silentLogger, type Worker } from '../src/index.js';
import { startTestWorker, temporaryDir, waitForDealTasks } from './harness.js';

/** A CID as an old app bundle's multiaddr named it. */
const BUNDLE_CID = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o';
const rootKey = generatePrivateKey();
const platform = createSimulatedPlatform(rootKey);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * The SMS's release side as protocol.md and the SMS's routes describe it, reduced to its checks: a
 * nonce per task, a quote from the trusted simulated root over that nonce, the workerpool owner's
 * authorization of (worker, task, enclave). It seals an empty set of secrets.
 */
function startSmsStub(workerpoolOwner: Address) {
  const verifier = createQuoteVerifier({ trustedSimulationRoots: [platform.root] });
  const nonces = new Map<string, Hex>();
  const challenges: Hex[] = [];
  const sessions: { taskId: Hex; enclaveChallenge: Address }[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const challenge = /^\/tee\/challenges\/(0x[0-9a-f]{64})$/.exec(req.url ?? '');
      if (req.method === 'POST' && challenge) {
        await readBody(req);
        challenges.push(challenge[1] as Hex);
        const nonce = bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
        nonces.set(challenge[1] as string, nonce);
        return send(200, { taskId: challenge[1], nonce, expiresAt: Math.floor(Date.now() / 1000) + 300 });
      }
      if (req.method === 'POST' && req.url === '/tee/sessions') {
        const body = JSON.parse((await readBody(req)).toString()) as {
          taskId: Hex;
          workerAddress: Address;
          enclaveChallenge: Address;
          authorization: Hex;
          quote: unknown;
        };
        try {
          const quote = await verifier.verify(body.quote, { taskId: body.taskId, enclaveAddress: body.enclaveChallenge });
          if (quote.nonce !== nonces.get(body.taskId))
            return send(403, { error: { name: 'ChallengeMismatchError', message: 'stale nonce' } });
          const signer = await recoverWorkerAuthorizationSigner(
            { worker: body.workerAddress, taskId: body.taskId, enclaveChallenge: body.enclaveChallenge },
            body.authorization,
          );
          if (signer !== workerpoolOwner) return send(403, { error: { name: 'WrongAuthorizationError', message: `signed by ${signer}` } });
          sessions.push({ taskId: body.taskId, enclaveChallenge: body.enclaveChallenge });
          return send(200, { sealed: sealToEnclave(quote.encryptionPublicKey, JSON.stringify({ requesterSecrets: {} }), body.taskId) });
        } catch (error) {
          return send(403, { error: { name: 'QuoteRejectedError', message: error instanceof Error ? error.message : 'refused' } });
        }
      }
      send(404, { error: { name: 'RouteNotFoundError', message: 'no route' } });
    })();
  });
  return { server, challenges, sessions };
}

/**
 * The app: it leaves a marker file as its very first act (so a test sees whether it ever started),
 * then writes its result. `name` makes every app's image, layer and config blobs its own.
 */
function appSource(name: string, marker: string): string {
  return `// ${name}
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
writeFileSync(${JSON.stringify(marker)}, 'ran');
const args = process.argv.slice(2);
console.log('hello from the enclave, args: ' + args.join(' '));
if (args[0] === 'fail') { console.error('no can do'); process.exit(3); }
const out = process.env.IEXEC_OUT;
writeFileSync(join(out, 'result.txt'), 'result: ' + args.join(' ') + '\\n');
writeFileSync(join(out, 'computed.json'), JSON.stringify({ 'deterministic-output-path': join(out, 'result.txt') }));
`;
}

let chain: LocalChain;
let folder: { dir: string; remove(): void };
let smsUrl: string;
let sms: ReturnType<typeof startSmsStub>;
/** The local storage (kubo's add API and a gateway), as the devnet runs it. */
let storage: DevnetStorage;
/** The devnet's container registry, with its files in `registryDir` (where the tests tamper with them). */
let registry: DevnetRegistry;
let registryDir: string;
let worker: Worker;
let app: DeployedApp;

type DeployedApp = { address: Address; image: BuiltImage; reference: string; marker: string };

/** Builds an app's image, pushes it to the registry and registers it as iExec 9 does: multiaddr = reference, checksum = manifest digest. */
async function deployImageApp(name: string, tag = '1.0.0'): Promise<DeployedApp> {
  const marker = join(folder.dir, `${name}.ran`);
  const image = await buildAppImage({ files: { 'app.cjs': appSource(name, marker) }, runtime: 'node', entrypoint: 'app.cjs' });
  const { reference, digest } = await pushImage({ registryUrl: registry.url, repository: `iapps/${name}`, tag, image });
  const { address } = await createApp(chain.client('publisher'), {
    name,
    type: 'DOCKER',
    multiaddr: reference,
    checksum: checksumOfDigest(digest),
  });
  return { address, image, reference, marker };
}

/** Flips one byte in the middle of a file of the registry's store. */
function flipByte(path: string): void {
  const bytes = readFileSync(path);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = (bytes[at] as number) ^ 0xff;
  writeFileSync(path, bytes);
}

const registryBlob = (digest: string) => join(registryDir, 'blobs', 'sha256', digest.slice('sha256:'.length));

beforeAll(async () => {
  folder = temporaryDir();
  registryDir = join(folder.dir, 'registry');
  chain = await startLocalChain();
  sms = startSmsStub(chain.accounts.scheduler.address);
  [smsUrl, storage, registry] = await Promise.all([
    listen(sms.server),
    startStorage(),
    startRegistry({ dataDir: registryDir, logger: silentLogger }),
  ]);
  app = await deployImageApp('enclave-test-app');
  // No executor: the worker pulls the images into <dataDir>/images and runs tasks with @confidant/enclave's runTask.
  worker = await startTestWorker(chain, {
    dataDir: join(folder.dir, 'worker'),
    smsUrl,
    storage: { apiUrl: storage.apiUrl, gatewayUrl: storage.gatewayUrl },
    platformRootKey: rootKey,
  });
});
afterAll(async () => {
  await worker?.stop();
  await chain?.stop();
  sms?.server.close();
  await storage?.stop();
  await registry?.stop();
  folder?.remove();
});

async function requestTask(args: string, appAddress: Address = app.address): Promise<Hex> {
  const requester = chain.accounts.requester.address;
  const [appOrder, workerpoolOrder, requestOrder] = await Promise.all([
    signOrder(chain.client('publisher'), { kind: 'app', order: buildAppOrder({ app: appAddress, tag: TDX_TAG }) }),
    signOrder(chain.client('scheduler'), {
      kind: 'workerpool',
      order: buildWorkerpoolOrder({ workerpool: chain.workerpool.address, tag: TDX_TAG }),
    }),
    signOrder(chain.client('requester'), {
      kind: 'request',
      order: buildRequestOrder({
        app: appAddress,
        requester,
        workerpool: chain.workerpool.address,
        tag: TDX_TAG,
        params: JSON.stringify({ iexec_args: args }),
      }),
    }),
  ]);
  const { dealId } = await matchOrders(chain.client('requester'), { appOrder, workerpoolOrder, requestOrder });
  return dealId;
}

/** Runs a task of `deployed` and checks it failed in pre-compute: the app never started, the SMS was never asked. */
async function expectRefusedInPreCompute(deployed: { address: Address; marker?: string }, cause: RegExp) {
  const dealId = await requestTask('hello', deployed.address);
  const [row] = await waitForDealTasks(worker, dealId, 1, ['COMPLETED', 'FAILED']);
  expect(row?.status).toBe('FAILED');
  expect(row?.cause).toMatch(cause);
  expect(row?.logs).not.toContain('hello from the enclave');
  expect(row?.logs).not.toMatch(/\[app /);
  if (deployed.marker) expect(existsSync(deployed.marker)).toBe(false);
  expect(sms.challenges).not.toContain(row?.taskId);
  expect(sms.sessions.map((session) => session.taskId)).not.toContain(row?.taskId);
  expect((await getTask(chain.client(), { taskId: row?.taskId as Hex })).status).toBe('ACTIVE');
  return row;
}

const imageOf = (name: string) => new RegExp(`the image 127\\.0\\.0\\.1:\\d+/iapps/${name}:1\\.0\\.0 of app 0x[0-9a-fA-F]{40} `);

describe('the worker with the enclave runtime', () => {
  it('pulls the app image by digest, runs it in the enclave with its SMS secrets, and contributes the signed result', async () => {
    const dealId = await requestTask('hello world');
    const [row] = await waitForDealTasks(worker, dealId, 1, ['COMPLETED', 'FAILED']);
    expect(row?.cause).toBeNull();
    expect(row?.status).toBe('COMPLETED');
    const task = await getTask(chain.client(), { taskId: row?.taskId as Hex });
    expect(task.status).toBe('COMPLETED');
    expect(task.resultDigest).toBe(`0x${createHash('sha256').update('result: hello world\n').digest('hex')}`);
    const results = JSON.parse(hexToString(task.results)) as { storage: string; location: string };
    expect(results).toEqual({ storage: 'ipfs', location: expect.stringMatching(/^\/ipfs\/Qm[1-9A-HJ-NP-Za-km-z]{44}$/) });
    expect(sms.sessions).toEqual([{ taskId: row?.taskId, enclaveChallenge: row?.enclaveChallenge }]);
    // The result is in the storage under that CID: the zip of IEXEC_OUT, whose result is the digest's.
    const stored = await fetch(`${storage.gatewayUrl}${results.location}`);
    expect(stored.status).toBe(200);
    const files = await unzip(new Uint8Array(await stored.arrayBuffer()));
    expect(new TextDecoder().decode(files.get('result.txt'))).toBe('result: hello world\n');
    expect(row?.logs).toContain('hello from the enclave, args: hello world');
    expect(existsSync(app.marker)).toBe(true);
    // The image is in the worker's store, by digest.
    expect(existsSync(join(folder.dir, 'worker', 'images', 'blobs', 'sha256', app.image.manifestDigest.slice(7)))).toBe(true);
  });

  it("records an app that exits with an error as FAILED, with the cause and the app's output in the logs", async () => {
    const dealId = await requestTask('fail');
    const [row] = await waitForDealTasks(worker, dealId, 1, ['COMPLETED', 'FAILED']);
    expect(row?.status).toBe('FAILED');
    expect(row?.cause).toMatch(/^the app failed: app: /);
    expect(row?.logs).toContain('no can do');
    expect((await getTask(chain.client(), { taskId: row?.taskId as Hex })).status).toBe('ACTIVE');
  });

  it('refuses an image whose layer the registry serves with one byte changed, before the app starts or the SMS is asked', async () => {
    const tampered = await deployImageApp('tampered-layer');
    flipByte(registryBlob(tampered.image.layers[0]?.digest as string));
    const row = await expectRefusedInPreCompute(
      tampered,
      /^the app failed: pre-compute: AppImageError: the image .* could not be pulled by its digest: the image's layer 0 is not the one its manifest names: sha256:[0-9a-f]{64} expected, sha256:[0-9a-f]{64} received$/,
    );
    expect(row?.cause).toMatch(imageOf('tampered-layer'));
    expect(row?.logs).toContain('→ The registry (or something between it and you) serves other bytes than the image that was registered');
  });

  it('refuses an image whose manifest the registry serves with one byte changed, before the app starts or the SMS is asked', async () => {
    const tampered = await deployImageApp('tampered-manifest');
    flipByte(registryBlob(tampered.image.manifestDigest));
    const row = await expectRefusedInPreCompute(
      tampered,
      /^the app failed: pre-compute: AppImageError: the image .* could not be pulled by its digest: the image's manifest is not the one its digest names: sha256:[0-9a-f]{64} expected, sha256:[0-9a-f]{64} received$/,
    );
    expect(row?.cause).toMatch(imageOf('tampered-manifest'));
  });

  it('refuses an app that is not deployed as an OCI image, with the hint to deploy it as one', async () => {
    const { address } = await createApp(chain.client('publisher'), {
      name: 'ipfs-bundle-app',
      multiaddr: `/ipfs/${BUNDLE_CID}`,
      checksum: `0x${'11'.repeat(32)}`,
    });
    const row = await expectRefusedInPreCompute(
      { address },
      /^the app failed: pre-compute: AppImageError: the app 0x[0-9a-fA-F]{40} is not deployed as an OCI image: its multiaddr "\/ipfs\/Qm\w+" is not an image reference$/,
    );
    expect(row?.logs).toContain('→ Deploy the app as an OCI image: `confidant deploy`');
  });
});

describe('createAppImageResolver', () => {
  it('pulls by the registered digest even when the tag has moved, and re-uses what the store holds', async () => {
    const first = await deployImageApp('moved-tag');
    // The publisher pushes another image under the same tag: the app still names the first one.
    const other = await buildAppImage({ files: { 'app.cjs': 'console.log("another app")\n' }, runtime: 'node', entrypoint: 'app.cjs' });
    await pushImage({ registryUrl: registry.url, repository: 'iapps/moved-tag', tag: '1.0.0', image: other });
    const requests: string[] = [];
    const counting: FetchFunction = (input, init) => {
      requests.push(`${init?.method ?? 'GET'} ${new URL(input.toString()).pathname}`);
      return fetch(input, init);
    };
    const storeDir = join(folder.dir, 'resolver-images');
    const resolve = createAppImageResolver({ client: chain.client(), storeDir, fetch: counting });
    const [pulled, again] = await Promise.all([resolve(first.address), resolve(first.address)]);
    expect(pulled).toEqual({ reference: first.reference, digest: first.image.manifestDigest, storeDir });
    expect(again).toEqual(pulled);
    expect(requests).toEqual([
      `GET /v2/iapps/moved-tag/manifests/${first.image.manifestDigest}`,
      `GET /v2/iapps/moved-tag/blobs/${first.image.configDigest}`,
      `GET /v2/iapps/moved-tag/blobs/${first.image.layers[0]?.digest}`,
    ]);
    expect(existsSync(join(storeDir, 'blobs', 'sha256', other.manifestDigest.slice(7)))).toBe(false);
    // Everything is in the store: nothing is asked of the registry.
    expect(await resolve(first.address)).toEqual(pulled);
    expect(requests).toHaveLength(3);
  });

  it('refuses apps that are not OCI images, and names the app and the registry when a pull fails', async () => {
    const resolve = createAppImageResolver({ client: chain.client(), storeDir: join(folder.dir, 'resolver-images') });
    const { address: binary } = await createApp(chain.client('publisher'), {
      name: 'p2p-bundle',
      multiaddr: cidToMultiaddr(BUNDLE_CID),
      checksum: `0x${'22'.repeat(32)}`,
    });
    const notAnImage = await resolve(binary).catch((error: unknown) => error);
    expect(notAnImage).toBeInstanceOf(AppImageError);
    expect((notAnImage as AppImageError).shortMessage).toBe(
      `the app ${binary} is not deployed as an OCI image: its multiaddr is a binary multiaddr, not an image reference`,
    );
    expect((notAnImage as AppImageError).hints[0]).toContain('confidant deploy');

    const { address: missing } = await createApp(chain.client('publisher'), {
      name: 'never-pushed',
      type: 'DOCKER',
      multiaddr: `${registry.registry}/iapps/never-pushed:1.0.0`,
      checksum: `0x${'33'.repeat(32)}`,
    });
    const notPushed = (await resolve(missing).catch((error: unknown) => error)) as AppImageError;
    expect(notPushed).toBeInstanceOf(AppImageError);
    expect(notPushed.reference).toBe(`${registry.registry}/iapps/never-pushed:1.0.0`);
    expect(notPushed.shortMessage).toMatch(
      new RegExp(
        `^the image ${registry.registry}/iapps/never-pushed:1\\.0\\.0 of app ${missing} could not be pulled by its digest: the registry ${registry.registry} answered 404`,
      ),
    );
    expect(notPushed.kind).toBe('not-found');
    expect(notPushed.hints[0]).toContain('push the image again');

    const tampered = await deployImageApp('tampered-config');
    flipByte(registryBlob(tampered.image.configDigest));
    const mismatch = (await resolve(tampered.address).catch((error: unknown) => error)) as AppImageError;
    expect(mismatch.cause).toBeInstanceOf(ImageDigestMismatchError);
    expect(mismatch.shortMessage).toContain("the image's config is not the one its manifest names");
  });
});
