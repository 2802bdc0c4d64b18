import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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
import { createQuoteVerifier, createSimulatedPlatform, measureBundle, sealToEnclave } from '@confidant/enclave';
import { type LocalChain, startLocalChain } from '@confidant/local-chain';
import { cidToMultiaddr, unzip, writeZip } from '@confidant/protected-data';
import { type DevnetStorage, startStorage } from '@confidant/storage';
import { type Address, bytesToHex, type Hex, hexToString } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppBundleError, createAppBundleResolver, type Worker } from '../src/index.js';
import { startTestWorker, temporaryDir, waitForDealTasks } from './harness.js';

const RESULT_CID = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o';
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
  const sessions: { taskId: Hex; enclaveChallenge: Address }[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const challenge = /^\/tee\/challenges\/(0x[0-9a-f]{64})$/.exec(req.url ?? '');
      if (req.method === 'POST' && challenge) {
        await readBody(req);
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
  return { server, sessions };
}

const APP_SOURCE = `
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const args = process.argv.slice(2);
console.log('hello from the enclave, args: ' + args.join(' '));
if (args[0] === 'fail') { console.error('no can do'); process.exit(3); }
const out = process.env.IEXEC_OUT;
writeFileSync(join(out, 'result.txt'), 'result: ' + args.join(' ') + '\\n');
writeFileSync(join(out, 'computed.json'), JSON.stringify({ 'deterministic-output-path': join(out, 'result.txt') }));
`;

let chain: LocalChain;
let folder: { dir: string; remove(): void };
let smsUrl: string;
let sms: ReturnType<typeof startSmsStub>;
/** The local storage (kubo's add API and a gateway), as the devnet runs it. */
let storage: DevnetStorage;
let worker: Worker;
let app: Address;

beforeAll(async () => {
  folder = temporaryDir();
  chain = await startLocalChain();
  sms = startSmsStub(chain.accounts.scheduler.address);
  [smsUrl, storage] = await Promise.all([listen(sms.server), startStorage()]);
  const bundle = join(folder.dir, 'bundle');
  mkdirSync(bundle);
  writeFileSync(join(bundle, 'app.cjs'), APP_SOURCE);
  const declaration = { runtime: 'node', entrypoint: 'app.cjs' } as const;
  writeFileSync(join(bundle, 'confidant.app.json'), JSON.stringify(declaration));
  ({ address: app } = await createApp(chain.client('publisher'), {
    name: 'enclave-test-app',
    multiaddr: pathToFileURL(bundle).href,
    checksum: await measureBundle(bundle, declaration),
    mrenclave: JSON.stringify({ framework: 'TDX', version: 'simulated' }),
  }));
  // No executor: the worker runs tasks with @confidant/enclave's runTask.
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
  folder?.remove();
});

async function requestTask(args: string): Promise<Hex> {
  const requester = chain.accounts.requester.address;
  const [appOrder, workerpoolOrder, requestOrder] = await Promise.all([
    signOrder(chain.client('publisher'), { kind: 'app', order: buildAppOrder({ app, tag: TDX_TAG }) }),
    signOrder(chain.client('scheduler'), {
      kind: 'workerpool',
      order: buildWorkerpoolOrder({ workerpool: chain.workerpool.address, tag: TDX_TAG }),
    }),
    signOrder(chain.client('requester'), {
      kind: 'request',
      order: buildRequestOrder({
        app,
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

describe('the worker with the enclave runtime', () => {
  it('runs an app bundle in the enclave, gets its secrets from the SMS, and contributes the signed result', async () => {
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
  });

  it("records an app that exits with an error as FAILED, with the cause and the app's output in the logs", async () => {
    const dealId = await requestTask('fail');
    const [row] = await waitForDealTasks(worker, dealId, 1, ['COMPLETED', 'FAILED']);
    expect(row?.status).toBe('FAILED');
    expect(row?.cause).toMatch(/^the app failed: app: /);
    expect(row?.logs).toContain('no can do');
    expect((await getTask(chain.client(), { taskId: row?.taskId as Hex })).status).toBe('ACTIVE');
  });
});

describe('createAppBundleResolver', () => {
  it('fetches an IPFS zip bundle once, unpacks it and reads its declaration', async () => {
    const zip = writeZip([
      { path: 'confidant.app.json', data: new TextEncoder().encode('{"runtime":"python","entrypoint":"src/app.py"}') },
      { path: 'src/app.py', data: new TextEncoder().encode('print("hi")\n') },
    ]);
    const hits: string[] = [];
    const gateway = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/zip' }).end(Buffer.from(zip));
    });
    const gatewayUrl = await listen(gateway);
    try {
      const { address } = await createApp(chain.client('publisher'), {
        name: 'ipfs-bundle',
        multiaddr: cidToMultiaddr(RESULT_CID),
        checksum: `0x${'11'.repeat(32)}`,
      });
      const resolve = createAppBundleResolver({ client: chain.client(), gatewayUrl, cacheDir: join(folder.dir, 'bundles') });
      const first = await resolve(address);
      expect(first.declaration).toEqual({ runtime: 'python', entrypoint: 'src/app.py' });
      expect(first.dir).toBe(join(folder.dir, 'bundles', RESULT_CID));
      const again = await resolve(address);
      expect(again).toEqual(first);
      expect(hits).toEqual([`/ipfs/${RESULT_CID}`]);
    } finally {
      gateway.close();
    }
  });

  it('refuses an app whose location it cannot fetch, and a zip entry outside the bundle', async () => {
    const resolve = createAppBundleResolver({
      client: chain.client(),
      gatewayUrl: 'http://127.0.0.1:9',
      cacheDir: join(folder.dir, 'bundles'),
    });
    const { address } = await createApp(chain.client('publisher'), {
      name: 'docker-app',
      multiaddr: 'docker.io/someone/app:1.0',
      checksum: `0x${'22'.repeat(32)}`,
    });
    await expect(resolve(address)).rejects.toBeInstanceOf(AppBundleError);

    const evil = writeZip([{ path: '../escape.txt', data: new Uint8Array([1]) }]);
    const gateway = createServer((_req, res) => res.writeHead(200).end(Buffer.from(evil)));
    const gatewayUrl = await listen(gateway);
    try {
      const { address: evilApp } = await createApp(chain.client('publisher'), {
        name: 'evil',
        multiaddr: '/ipfs/QmEvil',
        checksum: `0x${'33'.repeat(32)}`,
      });
      const error = await createAppBundleResolver({ client: chain.client(), gatewayUrl, cacheDir: join(folder.dir, 'bundles') })(
        evilApp,
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppBundleError);
      expect((error as AppBundleError).shortMessage).toContain('has an entry outside its folder');
    } finally {
      gateway.close();
    }
  });
});
