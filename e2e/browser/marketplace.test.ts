import { join } from 'node:path';
import { grantAccess, processProtectedData, protectData, publishAppOrder, signIn } from '@confidant/sdk';
import { deployApp } from '@confidant/sdk/node';
import { privateKeyToAccount } from 'viem/accounts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStory, startWeb } from '../test/harness.js';
import { launchChromium, SCREENSHOTS } from './chromium.js';

// (Page code is given to the browser as strings: this project compiles without the DOM types.)
// Playwright driving Debian's chromium (installed by .ci/run) against the production web build, the
// API and a whole local network. Screenshots of each page go to .cache/test-results/screenshots.

let story: Awaited<ReturnType<typeof startStory>>;
let web: Awaited<ReturnType<typeof startWeb>>;
let browser: Browser;
let app: `0x${string}`;
let data: `0x${string}`;

const helloWorld = `
const { writeFileSync } = require('node:fs');
const out = process.env.IEXEC_OUT;
writeFileSync(out + '/result.txt', 'hello');
writeFileSync(out + '/computed.json', JSON.stringify({ 'deterministic-output-path': out + '/result.txt' }));
`;

beforeAll(async () => {
  story = await startStory();
  const publisher = story.as('publisher');
  app = (
    await deployApp(publisher, {
      name: 'sentiment',
      files: { 'app.js': helloWorld },
      declaration: { runtime: 'node', entrypoint: 'app.js' },
    })
  ).address;
  await publishAppOrder(publisher, { app, price: 1_000_000_000 });
  await signIn(publisher);
  await publisher.api.apps.upsertListing.mutate({
    address: app,
    title: 'Sentiment of my messages',
    description:
      'Scores the **mood** of your messages. <img src=x onerror="window.pwned=1"><script>window.pwned=2</script> [prize](javascript:window.pwned=3)',
    category: 'text',
    tags: ['nlp'],
    requiredSchema: { messages: 'string' },
    price: '1000000000',
  });
  // A data owner's protected data, granted to the app for anyone, and used once by a requester.
  const owner = story.as('dataOwner');
  data = (await protectData(owner, { data: { messages: 'so happy today' }, name: 'my messages' })).address;
  await grantAccess(owner, { protectedData: data, authorizedApp: app, pricePerAccess: 3, numberOfAccess: 10 });
  await processProtectedData(story.as('requester'), {
    app,
    protectedData: data,
    maxPrices: { app: 1_000_000_000, protectedData: 3 },
    timeoutMs: 60_000,
  });
  web = await startWeb(story.devnet.api.url);
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await story?.devnet.stop();
});

/** A page that records every console error, page error and CSP violation. */
async function open(path: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${web.url}${path}`);
  return { page, problems };
}

describe('the marketplace in a browser', () => {
  it('shows the catalogue, searches it from the form, and opens an iApp', async () => {
    const { page, problems } = await open('/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('iApps');
    await page.screenshot({ path: join(SCREENSHOTS, 'catalogue.png'), fullPage: true });
    await page.getByLabel('Search').fill('mood');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/q=mood/);
    const link = page.getByRole('link', { name: 'Sentiment of my messages' });
    await expect(link.count()).resolves.toBe(1);
    await link.click();
    await page.waitForURL(new RegExp(`/apps/${app}`, 'i'));
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sentiment of my messages');
    await page.screenshot({ path: join(SCREENSHOTS, 'iapp.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says plainly on the iApp page that the enclaves are simulated, and runs no injected script', async () => {
    const { page, problems } = await open(`/apps/${app}`);
    const trust = page.getByRole('region', { name: 'Trust' });
    await expect(trust.getByRole('note').textContent()).resolves.toContain('Simulated enclaves.');
    // The image digest (the measurement) and the image, as iExec 9 registers an app.
    await expect(trust.textContent()).resolves.toMatch(/Image digest \(the measurement, registered on chain\)sha256:[0-9a-f]{64}/);
    await expect(trust.textContent()).resolves.toMatch(/Image127\.0\.0\.1:\d+\/iapps\/sentiment:[0-9a-f]{12}/);
    await expect(page.evaluate('window.pwned')).resolves.toBeUndefined();
    await expect(page.getByText('<script>window.pwned=2</script>', { exact: false }).count()).resolves.toBe(1);
    expect(await page.locator('main a[href^="javascript:"]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('is usable from the keyboard and on a phone-sized screen', async () => {
    const { page } = await open('/', { width: 390, height: 844 });
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement?.textContent')).resolves.toBe('Skip to content');
    await page.keyboard.press('Enter');
    await expect(page.evaluate('location.hash')).resolves.toBe('#main');
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    for (const label of ['Search', 'Category', 'TEE', 'Max price (nRLC)', 'Sort'])
      await expect(page.getByLabel(label).count()).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'catalogue-phone.png'), fullPage: true });
    await page.close();
  });

  it('signs a data owner in with a local account and shows their data, its grants and its usage', async () => {
    const { page, problems } = await open('/data');
    await page.waitForURL(/\/signin\?next=\/data$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'signin.png'), fullPage: true });
    await page.getByRole('button', { name: 'Sign in as Data owner' }).click();
    await page.waitForURL(/\/data$/);
    const section = page.getByRole('region', { name: 'my messages' });
    await expect(section.getByRole('table').first().textContent()).resolves.toMatch(/anyone.*0\.000000003 RLC.*9 of 10/);
    await expect(section.getByRole('table').nth(1).textContent()).resolves.toMatch(/COMPLETED.*0\.000000003 RLC/);
    await page.screenshot({ path: join(SCREENSHOTS, 'my-data.png'), fullPage: true });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${web.url}/`);
    await expect(page.getByRole('link', { name: 'Sign in' }).count()).resolves.toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('signs in with an injected wallet (EIP-1193)', async () => {
    // FAKE: a stand-in for a browser wallet extension (none can be installed here): window.ethereum
    // answers eth_requestAccounts and personal_sign by asking this test, which signs with the publisher's key.
    const publisher = privateKeyToAccount(story.devnet.chain.accounts.publisher.privateKey);
    const page = await browser.newPage();
    await page.exposeFunction('fakeWalletSign', (message: string) => publisher.signMessage({ message }));
    await page.addInitScript(
      `window.ethereum = { request: async ({ method, params }) => method === 'eth_requestAccounts' ? ['${publisher.address}'] : method === 'personal_sign' ? window.fakeWalletSign(params[0]) : Promise.reject(new Error('unsupported ' + method)) };`,
    );
    await page.goto(`${web.url}/signin`);
    await page.getByRole('button', { name: 'Sign in with your wallet' }).click();
    await page.waitForURL(/\/data$/);
    await expect(page.getByText(`Signed in as ${publisher.address.toLowerCase()}`).count()).resolves.toBe(1);
    await expect(page.getByText('You have no protected data on this network yet.').count()).resolves.toBe(1);
    // The publisher's console: the app, its run by the requester, and what it earned (1 RLC).
    await page.getByRole('link', { name: 'My iApps' }).click();
    await page.waitForURL(/\/publish$/);
    const row = page.getByRole('row', { name: /Sentiment of my messages/ });
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells, cells.join(' | ')).toEqual(['Sentiment of my messages', 'yes', '1 RLC', '1', '1', '0', '1', '1 RLC']);
    await page.screenshot({ path: join(SCREENSHOTS, 'my-iapps.png'), fullPage: true });
    await page.close();
  });
});
