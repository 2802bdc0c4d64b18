import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium (installed by .ci/run; CHROMIUM_PATH points elsewhere), headless, quiet. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
