import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getEscrowBalance } from '@confidant/contracts';
import { webEndpointsOf } from '@confidant/devnet';
import { collect, decryptStream, multiaddrToLocation, readZip } from '@confidant/protected-data';
import { NoMatchingOrderError, processProtectedData } from '@confidant/sdk';
import { deployApp } from '@confidant/sdk/node';
import type { Browser, Locator, Page, Request } from 'playwright-core';
import { createWalletClient, type Hex, http } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStory, startWeb } from '../test/harness.js';
import { launchChromium, SCREENSHOTS } from './chromium.js';

// The browser stories, end to end: a publisher lists an app, a data owner protects a file
// in the browser and grants it, a requester runs the app and reads the decrypted result, the data
// owner sees the use and revokes. Real chain, storage, SMS, API, worker and web server on loopback;
// Playwright drives Debian's chromium. Only the enclaves are simulated.
const HELPER = readFileSync(fileURLToPath(new URL('../../apps/cli/templates/shared/confidant-enclave.js', import.meta.url)));

// Markers that must never leave the browser in the clear.
const NAME = 'Bob-c0nf1d3nt14l';
const NOTES = 'line one of my private notes: 4a7f9e\nline two\n';

const notesApp = `
import { getValue, writeComputedJson, writeResultFile } from './confidant-enclave.js';
const name = getValue('name', 'string');
const notes = new TextDecoder().decode(getValue('notes', 'bytes'));
const result = writeResultFile('result.txt', 'Hello, ' + name + '! Your notes have ' + notes.length + ' characters; they start with "' + notes.split('\\n')[0] + '".\\n');
writeComputedJson({ deterministicOutputPath: result });
`;

let story: Awaited<ReturnType<typeof startStory>>;
let web: Awaited<ReturnType<typeof startWeb>>;
let browser: Browser;
let app: `0x${string}`;
let protectedData: `0x${string}`;

beforeAll(async () => {
  story = await startStory();
  const files = { 'app.js': notesApp, 'package.json': '{ "type": "module" }', 'confidant-enclave.js': HELPER };
  app = (await deployApp(story.as('publisher'), { name: 'notes-reader', files, declaration: { runtime: 'node', entrypoint: 'app.js' } }))
    .address;
  web = await startWeb(story.devnet.api.url, webEndpointsOf(story.devnet));
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await story?.devnet.stop();
});

type Recorded = { url: string; body: string };

/** A page that records console errors and every request with its body. */
async function recordedPage(): Promise<{ page: Page; problems: string[]; requests: Recorded[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const requests: Recorded[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request: Request) => requests.push({ url: request.url(), body: request.postDataBuffer()?.toString('latin1') ?? '' }));
  return { page, problems, requests };
}

/** Waits for a flow's success line, or fails at once with the error the page shows instead. */
async function outcome(scope: Locator, success: Locator, timeout = 60_000): Promise<string> {
  const alert = scope.getByRole('alert');
  await success.or(alert).first().waitFor({ timeout });
  if (await alert.count()) throw new Error(`the page says: ${await alert.first().innerText()}`);
  return (await success.first().textContent()) ?? '';
}

/** The same, signed in with a local account (on the data owner's console). */
async function signedIn(role: 'Publisher' | 'Data owner' | 'Requester'): Promise<{ page: Page; problems: string[]; requests: Recorded[] }> {
  const recorded = await recordedPage();
  await recorded.page.goto(`${web.url}/signin`);
  await recorded.page.getByRole('button', { name: `Sign in as ${role}` }).click();
  await recorded.page.waitForURL(/\/data$/);
  return recorded;
}

describe('the marketplace flows, signed and encrypted in the browser', () => {
  it('a publisher lists an app and offers it from the console', async () => {
    const { page, problems } = await signedIn('Publisher');
    await page.getByRole('link', { name: 'My iApps' }).click();
    await page.waitForURL(/\/publish$/);
    const form = page.getByRole('form', { name: 'Listing of notes-reader' });
    await form.getByLabel('Title').fill('Notes reader');
    await form.getByLabel('Category').fill('text');
    await form.getByLabel('Tags (comma-separated)').fill('notes, demo');
    await form.getByLabel('Description (markdown)').fill('Reads your **notes** inside the enclave and says how long they are.');
    await form.getByLabel('Price per run (nRLC)').fill('1000');
    await form.getByLabel(/Required protected data/).fill('name: string\nnotes: application/octet-stream');
    await form.getByRole('button', { name: 'List and publish' }).click();
    await expect(outcome(form, form.getByRole('status').filter({ hasText: 'Listed' }))).resolves.toBe(
      'Listed (version 1) and offered at this price.',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'publisher-listing.png'), fullPage: true });
    // Listed in the catalogue at its price, and its app order is in the orderbook.
    await page.goto(`${web.url}/?q=notes`);
    await expect(page.getByRole('link', { name: 'Notes reader' }).count()).resolves.toBe(1);
    const orders = await story.as('requester').api.orders.list.query({ kind: 'app', subject: app });
    expect(orders.items.map((item) => String(item.kind === 'app' ? item.order.appprice : undefined))).toEqual(['1000']);
    expect(problems, problems.join('\n')).toEqual([]);
    await page.close();
  }, 120_000);

  it('a data owner protects a file in the browser — no plaintext or key reaches the API — and grants it', async () => {
    const { page, problems, requests } = await signedIn('Data owner');
    const form = page.getByRole('form', { name: 'Protect data' });
    await form.getByLabel('Public name (stored on chain: no secret here)').fill('my notes');
    await form.getByLabel('Field name 1').fill('name');
    await form.getByLabel('Value 1').fill(NAME);
    await form
      .getByLabel('Drop files here, or choose them')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(NOTES) });
    await expect(form.getByLabel('Field name for notes.txt').inputValue()).resolves.toBe('notes');
    const before = requests.length;
    await form.getByRole('button', { name: 'Protect' }).click();
    const done = form.getByRole('status').filter({ hasText: 'Protected as' });
    await outcome(form, done);
    protectedData = /0x[0-9a-fA-F]{40}/.exec((await done.textContent()) ?? '')?.[0] as `0x${string}`;
    expect(protectedData).toMatch(/^0x/);
    await expect(form.getByRole('list', { name: 'Protecting' }).locator('li[data-state="done"]').count()).resolves.toBe(8);
    await page.screenshot({ path: join(SCREENSHOTS, 'data-owner-protected.png'), fullPage: true });

    // What left the browser while protecting: the key went to the SMS and nowhere else; the
    // plaintext went nowhere; the schema went on chain with the dataset (the DataProtector contract),
    // where the API's indexer reads it.
    const during = requests.slice(before);
    const smsOrigin = new URL(story.devnet.sms.url).origin;
    const toSms = during.filter((r) => r.url.startsWith(`${smsOrigin}/secrets/web3`) && r.body !== '');
    expect(toSms).toHaveLength(1);
    const key = toSms[0]?.body ?? '';
    expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const toApi = during.filter((r) => r.url.startsWith(`${web.url}/api/trpc/`));
    expect(toApi.map((r) => new URL(r.url).pathname)).not.toContain('/api/trpc/protectedData.registerSchema');
    for (const request of during.filter((r) => !r.url.startsWith(smsOrigin))) {
      for (const secret of [key, NAME, NOTES.split('\n')[0] as string]) {
        expect(request.body.includes(secret) || request.url.includes(secret), `${secret.slice(0, 12)}… in ${request.url}`).toBe(false);
      }
    }
    // The stored file is ciphertext, and that key (only) opens it.
    // Indexed from the chain (the API follows it every 250 ms).
    await expect
      .poll(
        () =>
          story
            .as('requester')
            .api.protectedData.get.query({ address: protectedData })
            .then(
              (d) => d.schema,
              () => null,
            ),
        { timeout: 10_000 },
      )
      .toEqual({ name: 'string', notes: 'application/octet-stream' });
    const dataset = await story.as('requester').api.protectedData.get.query({ address: protectedData });
    const location = multiaddrToLocation(dataset.multiaddr as `0x${string}`);
    if (location.kind !== 'ipfs') throw new Error(`not stored on IPFS: ${dataset.multiaddr}`);
    const stored = await collect(await story.as('dataOwner').storage.download(location.cid));
    expect(Buffer.from(stored).includes(Buffer.from(NAME))).toBe(false);
    const zip = readZip(await collect(decryptStream([stored], { key, crypto: story.as('dataOwner').crypto })));
    expect(new TextDecoder().decode(zip.get('notes'))).toBe(NOTES);

    // Grant it to the app for anyone, at 7 nRLC per use, 3 uses.
    const section = page.getByRole('region', { name: 'my notes' });
    await section.getByText('Grant access').click();
    const grant = section.getByRole('form', { name: `Grant access to ${protectedData}` });
    await grant.getByLabel('App').fill(app);
    await grant.getByLabel('Price per use (nRLC)').fill('7');
    await grant.getByLabel('Number of uses').fill('3');
    await grant.getByRole('button', { name: 'Grant' }).click();
    await outcome(grant, grant.getByRole('status').filter({ hasText: 'Granted.' }));
    await expect(section.getByRole('table').first().textContent()).resolves.toMatch(/anyone.*0\.000000007 RLC.*3 of 3/);
    await page.screenshot({ path: join(SCREENSHOTS, 'data-owner-granted.png'), fullPage: true });
    expect(problems, problems.join('\n')).toEqual([]);
    await page.close();
  }, 180_000);

  it('a requester runs the app on that data and reads the decrypted result in the browser', async () => {
    // Not signed in yet: "Run" goes through sign-in and back to the run page of this app.
    const { page, problems, requests } = await recordedPage();
    await page.goto(`${web.url}/apps/${app}`);
    await page.getByRole('link', { name: 'Run this iApp' }).click();
    await page.waitForURL(/\/signin\?next=/);
    await page.getByRole('button', { name: 'Sign in as Requester' }).click();
    await page.waitForURL(new RegExp(`/run\\?app=${app}$`, 'i'));
    const form = page.getByRole('form', { name: 'Run Notes reader' });
    await expect(form.getByLabel('Protected data').inputValue()).resolves.toBe(protectedData.toLowerCase());
    await expect(form.textContent()).resolves.toContain('This run costs 0.000001007 RLC');
    await form.getByRole('button', { name: 'Run' }).click();
    const result = page.getByRole('region', { name: 'Result' });
    await outcome(page.locator('main'), result, 150_000);
    await expect(result.locator('pre').textContent()).resolves.toBe(
      `Hello, ${NAME}! Your notes have ${NOTES.length} characters; they start with "line one of my private notes: 4a7f9e".\n`,
    );
    await expect(page.getByRole('list', { name: 'Running' }).locator('li[data-state="done"]').count()).resolves.toBe(6);
    await expect(result.getByRole('link', { name: 'Download result.txt' }).getAttribute('href')).resolves.toMatch(/^blob:/);
    await page.screenshot({ path: join(SCREENSHOTS, 'requester-result.png'), fullPage: true });
    // The result key's private half stayed in this browser.
    const kept = JSON.parse(
      (await page.evaluate(
        `localStorage.getItem('confidant:result-key:${story.devnet.chain.accounts.requester.address.toLowerCase()}')`,
      )) as string,
    ) as { privateKey: { d: string } };
    expect(kept.privateKey.d.length).toBeGreaterThan(300);
    expect(requests.filter((r) => r.body.includes(kept.privateKey.d))).toEqual([]);
    expect(problems, problems.join('\n')).toEqual([]);
    await page.close();
  }, 240_000);

  it('the data owner sees the use in its history, revokes the grant, and withdraws what it earned', async () => {
    const { page, problems } = await signedIn('Data owner');
    const section = page.getByRole('region', { name: 'my notes' });
    await expect(section.getByRole('table').nth(1).textContent()).resolves.toMatch(/COMPLETED.*0\.000000007 RLC/);
    await expect(section.getByRole('table').first().textContent()).resolves.toMatch(/2 of 3/);
    await section.getByRole('button', { name: /^Revoke the grant to/ }).click();
    await expect(section.getByRole('table').first().getByText('revoked').textContent({ timeout: 30_000 })).resolves.toBe('revoked');
    await expect(
      processProtectedData(story.as('requester'), { app, protectedData, maxPrices: { app: 1000, protectedData: 7 }, waitForResult: false }),
    ).rejects.toThrow(NoMatchingOrderError);

    const owner = story.devnet.chain.accounts.dataOwner.address;
    const balance = page.getByRole('region', { name: 'Balance' });
    // The devnet's whole-RLC deposit plus the 7 nRLC the use earned, shown as the page reads it on chain.
    const before = (await getEscrowBalance(story.devnet.chain.client(), { account: owner })).balance;
    expect(before % 1_000_000_000n).toBe(7n);
    await expect(balance.getByText(/RLC to withdraw/).textContent()).resolves.toContain(
      `${(before / 1_000_000_000n).toLocaleString('en-US')}.000000007 RLC to withdraw`,
    );
    await balance.getByRole('button', { name: 'Withdraw' }).click();
    await outcome(balance, balance.getByRole('status').filter({ hasText: 'Withdrew' }));
    expect((await getEscrowBalance(story.devnet.chain.client(), { account: owner })).balance).toBe(0n);
    await page.screenshot({ path: join(SCREENSHOTS, 'data-owner-revoked.png'), fullPage: true });
    expect(problems, problems.join('\n')).toEqual([]);
    await page.close();
  }, 120_000);

  it('works with a browser wallet (EIP-1193) for an account the node does not hold: protect a dropped file, grant', async () => {
    // FAKE: a stand-in for a wallet extension (none can be installed here). window.ethereum hands
    // each request to this test, which signs with a key of its own — unknown to the chain's node —
    // and sends raw transactions; the page must never ask the node to sign for this account.
    const key = generatePrivateKey();
    const account = privateKeyToAccount(key);
    const chain = story.devnet.chain.client().chain;
    await story.devnet.chain
      .client()
      .publicClient.request({ method: 'anvil_setBalance' as never, params: [account.address, '0x56BC75E2D63100000'] as never });
    const wallet = createWalletClient({ account, chain, transport: http(story.devnet.chain.rpcUrl) });
    const asked: string[] = [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    const nodeSigning: string[] = [];
    page.on('request', (request) => {
      const body = request.postData() ?? '';
      if (request.url().startsWith(story.devnet.chain.rpcUrl) && /eth_sendTransaction|personal_sign|eth_sign/.test(body))
        nodeSigning.push(body);
    });
    await page.exposeFunction('fakeWallet', async (method: string, params: unknown[]) => {
      asked.push(method);
      if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [account.address];
      if (method === 'eth_chainId') return `0x${story.devnet.chain.chainId.toString(16)}`;
      // Wallets take personal_sign's message as hex bytes or as text.
      if (method === 'personal_sign')
        return account.signMessage({
          message: /^0x[0-9a-f]*$/i.test(params[0] as string) ? { raw: params[0] as Hex } : (params[0] as string),
        });
      if (method === 'eth_signTypedData_v4') return account.signTypedData(JSON.parse(params[1] as string) as never);
      if (method === 'eth_sendTransaction') {
        const tx = params[0] as { to: Hex; data: Hex; value?: Hex; gas?: Hex };
        return wallet.sendTransaction({
          to: tx.to,
          data: tx.data,
          ...(tx.value ? { value: BigInt(tx.value) } : {}),
          ...(tx.gas ? { gas: BigInt(tx.gas) } : {}),
        });
      }
      throw new Error(`the stand-in wallet does not do ${method}`);
    });
    await page.addInitScript('window.ethereum = { request: ({ method, params }) => window.fakeWallet(method, params ?? []) };');
    await page.goto(`${web.url}/signin`);
    await page.getByRole('button', { name: 'Sign in with your wallet' }).click();
    await page.waitForURL(/\/data$/);

    // A file dropped on the form (a drag and drop as the browser delivers it).
    const form = page.getByRole('form', { name: 'Protect data' });
    await form.getByLabel('Public name (stored on chain: no secret here)').fill('wallet notes');
    const dropped = await page.evaluateHandle(
      '(() => { const d = new DataTransfer(); d.items.add(new File(["dropped by a wallet user"], "dropped.txt")); return d; })()',
    );
    await form.locator('.dropzone').dispatchEvent('drop', { dataTransfer: dropped });
    await expect(form.getByLabel('Field name for dropped.txt').inputValue()).resolves.toBe('dropped');
    await form.getByRole('button', { name: 'Protect' }).click();
    const done = form.getByRole('status').filter({ hasText: 'Protected as' });
    await outcome(form, done);
    const address = /0x[0-9a-fA-F]{40}/.exec((await done.textContent()) ?? '')?.[0] as string;
    await expect
      .poll(
        () =>
          story
            .as('requester')
            .api.protectedData.get.query({ address })
            .then(
              (d) => d.schema,
              () => null,
            ),
        { timeout: 10_000 },
      )
      .not.toBeNull();
    const { owner, schema } = await story.as('requester').api.protectedData.get.query({ address });
    expect({ owner, schema }).toEqual({ owner: account.address.toLowerCase(), schema: { dropped: 'application/octet-stream' } });

    const section = page.getByRole('region', { name: 'wallet notes' });
    await section.getByText('Grant access').click();
    const grant = section.getByRole('form', { name: `Grant access to ${address.toLowerCase()}` });
    await grant.getByLabel('App').fill(app);
    await grant.getByRole('button', { name: 'Grant' }).click();
    await outcome(grant, grant.getByRole('status').filter({ hasText: 'Granted.' }));
    await expect(section.getByRole('table').first().textContent()).resolves.toMatch(/anyone.*Free.*1 of 1/);
    // Sign-in, the SMS challenge and the grant were signed by the wallet, the dataset sent by it.
    expect(new Set(asked)).toEqual(
      new Set(['eth_requestAccounts', 'eth_chainId', 'personal_sign', 'eth_sendTransaction', 'eth_signTypedData_v4']),
    );
    expect(nodeSigning).toEqual([]);
    expect(problems, problems.join('\n')).toEqual([]);
    await page.close();
  }, 120_000);

  it('says what to do when the wallet is on another chain', async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const page = await browser.newPage();
    await page.exposeFunction('fakeWalletSign', (message: string) => account.signMessage({ message }));
    // FAKE wallet on chain 1 that refuses to switch.
    await page.addInitScript(
      `window.ethereum = { request: async ({ method, params }) => method === 'eth_requestAccounts' || method === 'eth_accounts' ? ['${account.address}'] : method === 'personal_sign' ? window.fakeWalletSign(params[0]) : method === 'eth_chainId' ? '0x1' : Promise.reject(Object.assign(new Error('User rejected the request.'), { code: 4001 })) };`,
    );
    await page.goto(`${web.url}/signin`);
    await page.getByRole('button', { name: 'Sign in with your wallet' }).click();
    await page.waitForURL(/\/data$/);
    const form = page.getByRole('form', { name: 'Protect data' });
    await form.getByLabel('Field name 1').fill('email');
    await form.getByLabel('Value 1').fill('x@example.com');
    await form.getByRole('button', { name: 'Protect' }).click();
    await expect(form.getByRole('alert').textContent({ timeout: 30_000 })).resolves.toContain(
      `Your wallet is on chain 1, this marketplace on chain ${story.devnet.chain.chainId}: switch networks in the wallet and try again`,
    );
    await page.close();
  });
});
