import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import type { Hex } from 'viem';

// No value import of viem here: `@confidant/contracts/bundle` is what the enclave runner measures
// bundles with, and loading viem would cost the CLI's `confidant test` most of its start-up.

/** How the enclave starts an app: its runtime and the file it runs, relative to the bundle. */
export type AppDeclaration = { runtime: 'node' | 'python'; entrypoint: string };

/** One entry of a bundle as measured: its path, kind, and sha256 (hex, no 0x) of its content or link target. */
export type BundleEntry = { path: string; mode: 'file' | 'exec' | 'link'; sha256: string };

/** The file at the root of an uploaded bundle that holds its declaration. */
export const APP_DECLARATION_FILE = 'confidant.app.json';

const VERSION = 'confidant-bundle-v1';

/**
 * The canonical manifest a measurement hashes (UTF-8, `\n` after each line):
 *
 *     confidant-bundle-v1
 *     runtime <node|python>
 *     entrypoint <relative POSIX path>
 *     <path>\0<file|exec|link>\0<sha256 hex of the content, or of a link's relative target>   (one line per entry, sorted by path bytes)
 *
 * `exec` = any executable bit set. Timestamps, owners, the bundle's location and the order files
 * are found in do not count; every regular file counts (nothing is ignored).
 */
export function bundleManifest(entries: readonly BundleEntry[], declaration: AppDeclaration): string {
  const encoder = new TextEncoder();
  const sorted = [...entries].sort((a, b) => compareBytes(encoder.encode(a.path), encoder.encode(b.path)));
  const lines = [VERSION, `runtime ${declaration.runtime}`, `entrypoint ${declaration.entrypoint}`];
  for (const entry of sorted) lines.push(`${entry.path}\0${entry.mode}\0${entry.sha256}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The measurement of a bundle: `0x` + sha256 of its manifest. It is the app's on-chain checksum,
 * and what an enclave's quote must claim.
 *
 * @example
 * const measurement = measurementOf(entries, { runtime: 'node', entrypoint: 'src/app.js' });
 */
export function measurementOf(entries: readonly BundleEntry[], declaration: AppDeclaration): Hex {
  return `0x${bytesToHex(sha256(new TextEncoder().encode(bundleManifest(entries, declaration))))}`;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}
