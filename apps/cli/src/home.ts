import { join } from 'node:path';
import type { NetworkName } from '@confidant/contracts';
import { cliEnv } from './env.js';

// Light on purpose (no zod, no SDK): command registrations import this, and `--help` loads them all.

/**
 * Where the CLI keeps things, under CONFIDANT_HOME (default ~/.confidant):
 *   config.json              { "network": "<name>" }  (confidant network use)
 *   networks/<name>.json     a network's endpoints and PoCo addresses; `confidant dev` writes local.json
 *   wallet.json              the v3 keystore (confidant wallet create|import)
 */
export const paths = (home = cliEnv().home) => ({
  home,
  config: join(home, 'config.json'),
  network: (name: string) => join(home, 'networks', `${name}.json`),
  wallet: join(home, 'wallet.json'),
});

/** The network presets of @confidant/contracts, by name (kept here so --help need not load it). */
export const PRESET_NETWORKS: readonly NetworkName[] = ['local', 'arbitrum-sepolia-testnet', 'arbitrum-mainnet'];
