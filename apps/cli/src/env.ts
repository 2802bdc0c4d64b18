import { homedir } from 'node:os';
import { join } from 'node:path';

/** What the CLI reads from its environment; nothing else reads process.env. */
export type CliEnv = {
  /** Where wallets and settings live (CONFIDANT_HOME, default ~/.confidant). */
  home: string;
  noColor: boolean;
  /** A keystore password for scripts (CONFIDANT_WALLET_PASSWORD); prompts otherwise. */
  walletPassword: string | undefined;
  /** A raw private key for scripts and CI (CONFIDANT_PRIVATE_KEY); the keystore otherwise. */
  privateKey: string | undefined;
};

export function cliEnv(source: Record<string, string | undefined> = process.env): CliEnv {
  return {
    home: source['CONFIDANT_HOME'] || join(homedir(), '.confidant'),
    noColor: source['NO_COLOR'] !== undefined && source['NO_COLOR'] !== '',
    walletPassword: source['CONFIDANT_WALLET_PASSWORD'] || undefined,
    privateKey: source['CONFIDANT_PRIVATE_KEY'] || undefined,
  };
}
