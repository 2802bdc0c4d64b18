import { mnemonicToSeedSync } from '@scure/bip39';
import { type Address, bytesToHex, type Hex, type LocalAccount } from 'viem';
import { HDKey, privateKeyToAccount } from 'viem/accounts';
import { AccountDerivationError } from './errors.js';

/**
 * anvil's well-known test mnemonic. Every key derived from it is public knowledge: these accounts
 * exist for the local network only and must never hold anything of value.
 */
export const TEST_MNEMONIC = 'test test test test test test test test test test test junk';

/** The roles of the local network, each with its own funded account. */
export const accountRoles = ['deployer', 'publisher', 'dataOwner', 'requester', 'scheduler', 'worker'] as const;
export type AccountRole = (typeof accountRoles)[number];

export type ChainAccount = {
  role: AccountRole | `extra${number}`;
  index: number;
  address: Address;
  privateKey: Hex;
  account: LocalAccount;
};

let root: HDKey | undefined;

/**
 * The chain account at a BIP-44 index of the test mnemonic (index 0 deploys PoCo).
 *
 * @example
 * const { address, privateKey } = chainAccount(3);
 */
export function chainAccount(index: number, role?: ChainAccount['role']): ChainAccount {
  // The seed is derived once: PBKDF2 over the mnemonic is the slow part of key derivation.
  root ??= HDKey.fromMasterSeed(mnemonicToSeedSync(TEST_MNEMONIC));
  const key = root.derive(`m/44'/60'/0'/0/${index}`).privateKey;
  if (!key) throw new AccountDerivationError(index);
  const privateKey = bytesToHex(key);
  const account = privateKeyToAccount(privateKey);
  return {
    role: role ?? (accountRoles[index] as AccountRole | undefined) ?? `extra${index}`,
    index,
    address: account.address,
    privateKey,
    account,
  };
}

/** Every named account, by role. */
export function namedAccounts(): Record<AccountRole, ChainAccount> {
  return Object.fromEntries(accountRoles.map((role, index) => [role, chainAccount(index, role)])) as Record<AccountRole, ChainAccount>;
}
