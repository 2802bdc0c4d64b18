// Benchmark of issue "marketplace web app": the production build's first-load JavaScript of the
// catalogue and iApp pages (gzipped, as a browser downloads it), the server render time of the
// catalogue over the API on a PostgreSQL seeded with 100,000 listings, and protecting a 100 MiB
// file in the browser on a local network (browser-protect.mjs).
import { gzipSync } from 'node:zlib';
import { createDb } from '@confidant/db';
import { startWebApp } from '@confidant/devnet';
import { webAppDir } from './webApp.mjs';
import { freshDatabase, seed, serverUrl, startServer } from './api.mjs';
import { browserProtect } from './browser-protect.mjs';
import { percentile } from './stats.mjs';

export const name = 'web';

/** Every script a first visit loads (external chunks and inline ones), gzipped one by one. */
async function firstLoadJs(base, path) {
  const response = await fetch(base + path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  const html = await response.text();
  let bytes = 0;
  const sources = new Set([...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]));
  for (const src of sources) {
    const chunk = await fetch(new URL(src, base));
    if (!chunk.ok) throw new Error(`${src}: HTTP ${chunk.status}`);
    bytes += gzipSync(Buffer.from(await chunk.arrayBuffer()), { level: 9 }).length;
  }
  for (const [, inline] of html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g))
    bytes += gzipSync(Buffer.from(inline), { level: 9 }).length;
  return bytes / 1000;
}

async function catalogue() {
  const catalogueUrl = await freshDatabase(serverUrl(), 'confidant_bench_web');
  const migrated = await createDb({ url: catalogueUrl });
  await migrated.close();
  await seed(catalogueUrl);
  const api = await startServer(catalogueUrl, 1000);
  const web = await startWebApp({ dir: webAppDir, apiUrl: `${api.base}/trpc` });
  if (!web) throw new Error('apps/web is not built');
  try {
    const catalogueJs = await firstLoadJs(web.url, '/');
    const appJs = await firstLoadJs(web.url, `/apps/0x${(2).toString(16).padStart(40, '0')}`);
    // Distinct catalogue pages, searches and filters, one at a time, as visitors would ask them.
    const paths = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 0
        ? `/?page=${1 + (i % 50)}`
        : i % 3 === 1
          ? `/?q=${['privacy', 'bank', 'weather', 'health', 'photos'][i % 5]}&sort=relevance`
          : `/?category=${['text', 'finance', 'data', 'health'][i % 4]}&tee=${['tdx', 'tdx', 'scone', 'gramine'][i % 4]}&sort=priceAsc&page=${1 + (i % 7)}`,
    );
    for (const path of paths.slice(0, 10)) await fetch(web.url + path).then((r) => r.text());
    const times = [];
    for (const path of paths) {
      const started = performance.now();
      const response = await fetch(web.url + path);
      const html = await response.text();
      times.push(performance.now() - started);
      if (!response.ok || !html.includes('class="card"')) throw new Error(`${path}: HTTP ${response.status} without listings`);
    }
    return [
      { metric: 'first-load JavaScript of the catalogue page, gzipped', value: catalogueJs, unit: 'kB', goal: 200, better: 'lower' },
      { metric: 'first-load JavaScript of an iApp page, gzipped', value: appJs, unit: 'kB', goal: 200, better: 'lower' },
      {
        metric: 'server render of the catalogue (100,000 listings; pages, searches, filters): p95 of 300',
        value: percentile(times, 95),
        unit: 'ms',
        goal: 100,
        better: 'lower',
      },
      {
        metric: 'server render of the catalogue: median (reference)',
        value: percentile(times, 50),
        unit: 'ms',
        goal: undefined,
        better: 'lower',
      },
    ];
  } finally {
    await web.stop();
    await api.stop();
  }
}

export async function run() {
  return [...(await catalogue()), ...(await browserProtect())];
}
