import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

/** Where the browser suites save their screenshots (test artifacts). */
export const SCREENSHOTS = fileURLToPath(new URL('../../.cache/test-results/screenshots/', import.meta.url));

/** Debian's chromium (installed by .ci/run; CHROMIUM_PATH points elsewhere), headless, quiet; the screenshot folder made. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
