// Protecting a 100 MiB file in the web app, in Chromium driven by Playwright, on a whole local
// network: the time from the click on "Protect" to "Protected as" (packaging, encryption with
// WebCrypto, upload, registration on chain, key to the SMS) and the browser's peak memory.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevnet, startWebApp, webEndpointsOf } from '@confidant/devnet';
import { webAppDir } from './webApp.mjs';
import { chromium } from 'playwright-core';
import { writeRandomFile } from './protect.mjs';

const MiB = 1024 * 1024;
const SIZE = 100 * MiB;
const UPLOAD = 'Upload the encrypted file';

/**
 * The RSS (bytes) of the processes launched with this profile folder and all their descendants,
 * summed: pages they share (Chromium's own code) count once per process, as `ps` would show them.
 */
function treeRss(profile) {
  const parents = new Map();
  const roots = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      // The parent is the 2nd field after the command name, which may itself hold spaces and parentheses.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parents.set(pid, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`--user-data-dir=${profile}`)) roots.push(pid);
    } catch {
      // It exited while being read.
    }
  }
  const tree = new Set(roots);
  for (let size = -1; size !== tree.size; ) {
    size = tree.size;
    for (const [pid, parent] of parents) if (tree.has(parent)) tree.add(pid);
  }
  let bytes = 0;
  for (const pid of tree) {
    try {
      bytes += Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      // It exited while being read.
    }
  }
  return bytes;
}

/**
 * Protects `file` from the data page and resolves with the seconds to the upload's end and to
 * "Protected as", timed in the page (a busy renderer delays Playwright's polling, not the page's clock).
 */
async function protectOnce(page, base, file, problems) {
  await page.goto(`${base}/data`);
  const form = page.getByRole('form', { name: 'Protect data' });
  await form.getByLabel('Public name (stored on chain: no secret here)').fill(`bench ${Date.now()}`);
  await form.getByLabel('Drop files here, or choose them').setInputFiles(file);
  await form.evaluate((element, upload) => {
    const times = {};
    window.__benchProtect = times;
    element.addEventListener('submit', () => (times.started = performance.now()), { capture: true });
    new MutationObserver(() => {
      for (const step of element.querySelectorAll('li[data-state="done"]'))
        if (step.textContent.includes(upload)) times.uploaded ??= performance.now();
      if (element.querySelector('[role="status"]')?.textContent.includes('Protected as')) times.protected ??= performance.now();
    }).observe(element, { subtree: true, childList: true, attributes: true, characterData: true });
  }, UPLOAD);
  await form.getByRole('button', { name: 'Protect' }).click();
  const outcome = form.getByRole('status').filter({ hasText: 'Protected as' }).or(form.getByRole('alert'));
  await outcome.waitFor({ timeout: 120_000 });
  const alert = form.getByRole('alert');
  if (await alert.count())
    throw new Error(`protecting in the browser failed: ${await alert.innerText()}${problems.map((problem) => `\n${problem}`).join('')}`);
  const times = await page.evaluate(() => window.__benchProtect);
  return { uploaded: (times.uploaded - times.started) / 1000, protected: (times.protected - times.started) / 1000 };
}

/** Warm-up on a small file, then the 100 MiB file twice (the best time, the highest memory). */
export async function browserProtect() {
  const devnet = await startDevnet();
  const dir = mkdtempSync(join(tmpdir(), 'confidant-bench-browser-'));
  const profile = join(dir, 'profile');
  let web;
  let context;
  try {
    web = await startWebApp({ dir: webAppDir, apiUrl: devnet.api.url, endpoints: webEndpointsOf(devnet) });
    if (!web) throw new Error('apps/web is not built');
    // A persistent context launches Chromium with our own --user-data-dir: what finds its processes.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const problems = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${web.url}/signin`);
    await page.getByRole('button', { name: 'Sign in as Data owner' }).click();
    await page.waitForURL(/\/data$/);

    const small = join(dir, 'warm-up.bin');
    writeRandomFile(small, 64 * 1024);
    await protectOnce(page, web.url, small, problems);
    const large = join(dir, 'large.bin');
    writeRandomFile(large, SIZE);

    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const rest = treeRss(profile);
    let peakRss = rest;
    let peakHeap = 0;
    const runs = [];
    for (let i = 0; i < 2; i++) {
      // /proc every 100 ms from here; the heap over CDP, which answers only between the page's tasks.
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, treeRss(profile))), 100);
      let sampling = true;
      const heap = (async () => {
        while (sampling) {
          const { metrics } = await cdp.send('Performance.getMetrics');
          peakHeap = Math.max(peakHeap, metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      try {
        runs.push(await protectOnce(page, web.url, large, problems));
      } finally {
        clearInterval(sampler);
        sampling = false;
        await heap;
      }
    }
    if (problems.length > 0) throw new Error(`the page logged errors while protecting:\n${problems.join('\n')}`);
    const best = (key) => Math.min(...runs.map((run) => run[key]));
    const label = 'protect a 100 MiB file in Chromium';
    return [
      {
        metric: `${label}, click to "Protected as" (package, encrypt, upload, register, key to SMS): best of 2 (reference)`,
        value: SIZE / MiB / best('protected'),
        unit: 'MiB/s',
        goal: undefined,
        better: 'higher',
      },
      {
        metric: `${label}: package, encrypt and upload alone, best of 2 (reference)`,
        value: SIZE / MiB / best('uploaded'),
        unit: 'MiB/s',
        goal: undefined,
        better: 'higher',
      },
      {
        metric: `${label}: peak RSS of all its processes, summed (reference)`,
        value: peakRss / MiB,
        unit: 'MiB',
        goal: undefined,
        better: 'lower',
      },
      {
        metric: `${label}: the same at rest, before the 100 MiB runs (reference)`,
        value: rest / MiB,
        unit: 'MiB',
        goal: undefined,
        better: 'lower',
      },
      { metric: `${label}: peak JS heap of the page (reference)`, value: peakHeap / MiB, unit: 'MiB', goal: undefined, better: 'lower' },
    ];
  } finally {
    await context?.close();
    await web?.stop();
    await devnet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
