import { join } from 'node:path';
import { type Devnet, devnetClient, startDevnet, webEndpointsOf } from '@confidant/devnet';
import { dataProtectorOn } from '@confidant/devnet/iexec';
import { publishAppOrder } from '@confidant/sdk';
import { deployApp } from '@confidant/sdk/node';
import type { Browser, Locator, Page } from 'playwright-core';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb } from '../test/harness.js';
import { launchChromium, SCREENSHOTS } from './chromium.js';

// The web app and iExec's DataProtector client (pinned, unchanged) on one local network under chain
// id 421614: data protected with iExec's client is run from the web app's Run page, and data
// protected and granted in the web app is run with iExec's client.

const APP = `
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const data = readFileSync(join(process.env.IEXEC_IN, process.env.IEXEC_DATASET_FILENAME));
writeFileSync(join(process.env.IEXEC_OUT, 'result.txt'), 'read ' + data.length + ' bytes of protected data, zip ' + (data.subarray(0, 2).toString() === 'PK'));
writeFileSync(join(process.env.IEXEC_OUT, 'computed.json'), JSON.stringify({ 'deterministic-output-path': join(process.env.IEXEC_OUT, 'result.txt') }));
`;

let devnet: Devnet;
let web: Awaited<ReturnType<typeof startWeb>>;
let browser: Browser;
let app: `0x${string}`;

beforeAll(async () => {
  devnet = await startDevnet({ chainId: 421614 });
  const publisher = devnetClient(devnet, 'publisher');
  app = (await deployApp(publisher, { name: 'interop', files: { 'app.js': APP }, declaration: { runtime: 'node', entrypoint: 'app.js' } }))
    .address;
  await publishAppOrder(publisher, { app, price: 0n, volume: 100n });
  web = await startWeb(devnet.api.url, webEndpointsOf(devnet));
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await devnet?.stop();
});

/** Signs in with a local account, then goes to `next`; console errors are collected. */
async function signedIn(role: 'Data owner' | 'Requester', next: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${web.url}/signin?next=${encodeURIComponent(next)}`);
  await page.getByRole('button', { name: `Sign in as ${role}` }).click();
  await page.waitForURL((url) => url.pathname === next.split('?')[0]);
  return { page, problems };
}

/** Waits for a flow's success line, or fails at once with the error the page shows instead. */
async function outcome(scope: Locator, success: Locator, timeout = 60_000): Promise<string> {
  const alert = scope.getByRole('alert');
  await success.or(alert).first().waitFor({ timeout });
  if (await alert.count()) throw new Error(`the page says: ${await alert.first().innerText()}`);
  return (await success.first().textContent()) ?? '';
}

describe("the web app and iExec's DataProtector client on one network (chain id 421614)", () => {
  it("runs data protected and granted with iExec's client from the web app's Run page", async () => {
    const owner = dataProtectorOn(devnet, 'dataOwner');
    const { address } = await owner.protectData({ data: { email: 'dave@example.com' }, name: 'from iExec' });
    await owner.grantAccess({
      protectedData: address,
      authorizedApp: app,
      authorizedUser: devnet.chain.accounts.requester.address,
      numberOfAccess: 2,
    });

    const { page, problems } = await signedIn('Requester', `/run?app=${app}&data=${address}`);
    const form = page.getByRole('form', { name: 'Run interop' });
    await expect(form.getByLabel('Protected data').inputValue()).resolves.toBe(address.toLowerCase());
    await form.getByRole('button', { name: 'Run' }).click();
    const result = page.getByRole('region', { name: 'Result' });
    await outcome(page.locator('main'), result, 120_000);
    await expect(result.locator('pre').textContent()).resolves.toMatch(/^read \d+ bytes of protected data, zip true$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'run-iexec-protected-data.png'), fullPage: true });
    expect(problems, problems.join('\n')).toEqual([]);
    await page.close();
  }, 180_000);

  it("runs data protected and granted in the web app with iExec's client", async () => {
    const { page, problems } = await signedIn('Data owner', '/data');
    const form = page.getByRole('form', { name: 'Protect data' });
    await form.getByLabel('Public name (stored on chain: no secret here)').fill('from the web');
    await form.getByLabel('Field name 1').fill('email');
    await form.getByLabel('Value 1').fill('erin@example.com');
    await form.getByRole('button', { name: 'Protect' }).click();
    const done = form.getByRole('status').filter({ hasText: 'Protected as' });
    await outcome(form, done);
    const address = /0x[0-9a-fA-F]{40}/.exec((await done.textContent()) ?? '')?.[0] as `0x${string}`;

    const section = page.getByRole('region', { name: 'from the web' });
    await section.getByText('Grant access').click();
    const grant = section.getByRole('form', { name: `Grant access to ${address.toLowerCase()}` });
    await grant.getByLabel('App').fill(app);
    await grant.getByRole('button', { name: 'Grant' }).click();
    await outcome(grant, grant.getByRole('status').filter({ hasText: 'Granted.' }));
    expect(problems, problems.join('\n')).toEqual([]);
    await page.close();

    // iExec's client finds it by schema (registered on chain by the web app) and runs it.
    const requester = dataProtectorOn(devnet, 'requester');
    await expect
      .poll(async () => (await requester.getProtectedData({ requiredSchema: { email: 'string' } })).map((d) => d.address.toLowerCase()), {
        timeout: 10_000,
      })
      .toContain(address.toLowerCase());
    const { result } = await requester.processProtectedData({
      protectedData: address,
      app,
      workerpool: devnet.chain.workerpool.address,
      path: 'result.txt',
    });
    expect(new TextDecoder().decode(result)).toMatch(/^read \d+ bytes of protected data, zip true$/);
  }, 180_000);

  it('refuses a wallet whose chain 421614 is the public Arbitrum Sepolia, before anything is signed', async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const asked: string[] = [];
    const page = await browser.newPage();
    await page.exposeFunction('fakeWalletSign', (message: string) => account.signMessage({ message }));
    await page.exposeFunction('fakeWalletAsked', (method: string) => asked.push(method));
    // FAKE: a stand-in wallet extension on the public chain 421614 — same chain id, another first block.
    await page.addInitScript(
      `window.ethereum = { request: async ({ method, params }) => { window.fakeWalletAsked(method); return method === 'eth_requestAccounts' || method === 'eth_accounts' ? ['${account.address}'] : method === 'personal_sign' ? window.fakeWalletSign(params[0]) : method === 'eth_chainId' ? '0x66eee' : method === 'eth_getBlockByNumber' ? { hash: '0x${'ab'.repeat(32)}' } : Promise.reject(Object.assign(new Error('User rejected the request.'), { code: 4001 })); } };`,
    );
    await page.goto(`${web.url}/signin`);
    await page.getByRole('button', { name: 'Sign in with your wallet' }).click();
    await page.waitForURL(/\/data$/);
    const form = page.getByRole('form', { name: 'Protect data' });
    await form.getByLabel('Field name 1').fill('email');
    await form.getByLabel('Value 1').fill('x@example.com');
    await form.getByRole('button', { name: 'Protect' }).click();
    await expect(form.getByRole('alert').textContent({ timeout: 30_000 })).resolves.toContain(
      "has this marketplace's chain id but is another chain (a public one): add this local network's RPC to your wallet",
    );
    // Signed in (personal_sign), then refused: no transaction or typed data was asked for.
    expect(asked.filter((method) => method === 'eth_sendTransaction' || method === 'eth_signTypedData_v4')).toEqual([]);
    await page.close();
  });
});
