import { protectData, publishAppOrder, signIn } from '@confidant/sdk';
import { deployApp } from '@confidant/sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webEndpointsOf } from '@confidant/devnet';
import { startStory, startWeb, untilIndexed } from './harness.js';

// The production build of the web app, served by `next start`, against a real local network.
let story: Awaited<ReturnType<typeof startStory>>;
let web: Awaited<ReturnType<typeof startWeb>>;
let app: `0x${string}`;
const ATTACK = '<script>window.pwned=1</script> <img src=x onerror="window.pwned=2"> [win a prize](javascript:window.pwned=3)';

beforeAll(async () => {
  story = await startStory();
  const publisher = story.as('publisher');
  app = (
    await deployApp(publisher, {
      name: 'weather',
      files: { 'app.js': 'console.log(1)' },
      declaration: { runtime: 'node', entrypoint: 'app.js' },
    })
  ).address;
  await publishAppOrder(publisher, { app, price: 2_500_000_000 });
  await signIn(publisher);
  await publisher.api.apps.upsertListing.mutate({
    address: app,
    title: 'Weather <b>now</b>',
    description: `# Forecasts\n\nA **private** forecast. ${ATTACK}`,
    category: 'science',
    tags: ['weather'],
    requiredSchema: { city: 'string' },
    price: '2500000000',
  });
  web = await startWeb(story.devnet.api.url, webEndpointsOf(story.devnet));
}, 180_000);
afterAll(async () => {
  await web?.stop();
  await story?.devnet.stop();
});

const get = async (path: string) => {
  const response = await fetch(`${web.url}${path}`);
  return { status: response.status, csp: response.headers.get('content-security-policy') ?? '', html: await response.text() };
};

describe('the web app, server-rendered', () => {
  it('lists the app in the catalogue with its price, publisher and tags, and finds it by search', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`href="/apps/${app.toLowerCase()}"`);
    expect(page.html).toContain('Weather &lt;b&gt;now&lt;/b&gt;');
    expect(page.html).toContain('2.5 RLC');
    expect(page.html).toContain('weather</li>');
    expect((await get('/?q=forecast')).html).toContain(`/apps/${app.toLowerCase()}`);
    const none = await get('/?q=spreadsheet');
    expect(none.html).not.toContain(`/apps/${app.toLowerCase()}`);
    expect(none.html).toContain('No iApp matches these filters.');
    expect((await get('/?category=finance')).html).toContain('No iApp matches these filters.');
    // Malformed filters are dropped, not errors.
    expect((await get('/?sort=%27;DROP&tee=sgx&page=-4&maxPrice=abc')).status).toBe(200);
  });

  it('shows the apps that work with my protected data (its schema has what they require)', async () => {
    const owner = story.as('dataOwner');
    const city = await protectData(owner, { data: { city: 'Paris', email: 'a@example.com' }, name: 'my city' });
    const email = await protectData(owner, { data: { email: 'a@example.com' }, name: 'my email' });
    await Promise.all([untilIndexed(story.devnet, city.address), untilIndexed(story.devnet, email.address)]);
    const fits = await get(`/?data=${city.address}`);
    expect(fits.html).toContain(`/apps/${app.toLowerCase()}`);
    expect(fits.html).toContain('Showing the iApps that work with <strong>my city</strong>');
    const misses = await get(`/?data=${email.address}`);
    expect(misses.html).not.toContain(`/apps/${app.toLowerCase()}`);
    expect(misses.html).toContain('No iApp matches these filters.');
    const unknown = await get(`/?data=0x${'34'.repeat(20)}`);
    expect(unknown.status).toBe(200);
    expect(unknown.html).toContain(`no protected data 0x${'34'.repeat(20)} is known on this network`);
  });

  it("renders the app's page with its trust panel, saying the enclaves are simulated", async () => {
    const page = await get(`/apps/${app}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Simulated enclaves.');
    expect(page.html).toContain('Intel TDX');
    // The image digest is the app's on-chain checksum and the measurement its enclave reports.
    const digest = /Image digest \(the measurement, registered on chain\)<\/dt><dd><code class="hash">sha256:([0-9a-f]{64})<\/code>/.exec(
      page.html,
    )?.[1];
    expect(digest).toBeDefined();
    expect(page.html).toMatch(
      new RegExp(`<dt>Image</dt><dd><code class="hash">127\\.0\\.0\\.1:\\d+/iapps/weather:${digest?.slice(0, 12)}</code>`),
    );
    expect(page.html).toContain('<code>city</code>: <!-- -->string');
    expect(page.html).toContain('<h2>Forecasts</h2>');
  });

  it('never lets publisher text inject markup, and sends a strict Content-Security-Policy with a fresh nonce', async () => {
    const first = await get(`/apps/${app}`);
    const main = first.html.slice(first.html.indexOf('<main'), first.html.indexOf('</main>'));
    expect(main).toContain('&lt;script&gt;window.pwned=1&lt;/script&gt;');
    // In the HTML, "<" only opens the page's own elements (text has &lt;): none is a script, an
    // image, a handler attribute or a script URL.
    expect(main).not.toMatch(/<(script|img|iframe)\b/i);
    expect(main).not.toMatch(/<[^>]+\son\w+=/i);
    expect(main).not.toMatch(/href="\s*javascript:/i);
    expect(main).toContain('win a prize');
    const nonce = /'nonce-([^']+)'/.exec(first.csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(first.csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(first.csp).toContain("object-src 'none'");
    expect(first.csp).toContain("frame-ancestors 'none'");
    expect(first.csp).not.toContain('unsafe-inline');
    // Every script Next.js emits carries this response's nonce.
    const scripts = [...first.html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    const second = await get(`/apps/${app}`);
    expect(/'nonce-([^']+)'/.exec(second.csp)?.[1]).not.toBe(nonce);
  });

  it("lets pages connect only to this origin and the network's chain, SMS and storage", async () => {
    const { csp } = await get('/');
    const connect =
      csp
        .split('; ')
        .find((d) => d.startsWith('connect-src '))
        ?.split(' ')
        .slice(1) ?? [];
    const origin = (url: string) => new URL(url).origin;
    const { devnet } = story;
    expect(new Set(connect)).toEqual(
      new Set([
        "'self'",
        origin(devnet.chain.rpcUrl),
        origin(devnet.sms.url),
        origin(devnet.storage.apiUrl),
        origin(devnet.storage.gatewayUrl),
      ]),
    );
    expect(connect).not.toContain(origin(devnet.api.url));
  });

  it('proxies the API for the page with the session from its cookie, to this origin only, never sign-in', async () => {
    const call = (procedure: string, init: RequestInit = {}) =>
      fetch(`${web.url}/api/trpc/${procedure}`, {
        method: 'POST',
        ...init,
        headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
      });
    const listing = JSON.stringify({ json: { address: app, title: 'Weather, edited', category: 'science', price: '2500000000' } });
    // Anonymous: the API itself refuses what needs a session.
    const anonymous = await call('apps.upsertListing', { body: listing });
    expect(anonymous.status).toBe(401);
    // A session cookie from the local account picker (the publisher owns the app).
    const signedIn = await fetch(`${web.url}/api/auth/local`, {
      method: 'POST',
      body: new URLSearchParams({ role: 'publisher' }),
      redirect: 'manual',
    });
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^confidant_session=.+/);
    const edited = await call('apps.upsertListing', { body: listing, headers: { cookie, origin: web.url } });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ result: { data: { json: { version: 2 } } } });
    // Another site's page cannot use the visitor's session; sign-in is not served here at all.
    const forged = await call('apps.upsertListing', { body: listing, headers: { cookie, origin: 'https://evil.example' } });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: { message: 'calls from other sites are refused' } });
    expect((await call('auth.verify', { body: '{}', headers: { cookie } })).status).toBe(404);
    expect((await call('apps.list/../auth.verify', { body: '{}' })).status).toBe(404);
    const read = await fetch(`${web.url}/api/trpc/apps.list?input=${encodeURIComponent(JSON.stringify({ json: { limit: 5 } }))}`);
    expect(read.status).toBe(200);
    expect(JSON.stringify(await read.json())).toContain(app.toLowerCase());
  });

  it('answers 404 for an unknown or malformed app address', async () => {
    expect((await get(`/apps/0x${'12'.repeat(20)}`)).status).toBe(404);
    const malformed = await get('/apps/<script>');
    expect(malformed.status).toBe(404);
    expect(malformed.html).toContain('Back to the catalogue');
  });

  it('says what to do when the API is down', async () => {
    const orphan = await startWeb('http://127.0.0.1:9/trpc');
    try {
      const response = await fetch(orphan.url);
      const html = await response.text();
      expect(html).toContain('The catalogue could not be loaded');
      expect(html).toContain('confidant dev');
      const app = await (await fetch(`${orphan.url}/apps/0x${'12'.repeat(20)}`)).text();
      expect(app).toContain('This iApp could not be loaded');
      expect(app).toContain('confidant dev');
    } finally {
      await orphan.stop();
    }
  }, 90_000);
});
