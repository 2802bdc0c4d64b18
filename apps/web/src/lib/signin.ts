import type { HDAccount } from 'viem/accounts';
import { signInMessage } from '@confidant/sdk';
import { api } from './api';
import { webEnv } from './env';

/** The EIP-4361 message an account signs to sign in (a fresh single-use nonce from the API). */
export const signInMessageFor = (address: `0x${string}`): Promise<string> => signInMessage(api(), address);

/** Hands a signed message to the API; its session token becomes the visitor's cookie. */
export async function verifySignIn(message: string, signature: `0x${string}`) {
  return api().auth.verify.mutate({ message, signature });
}

/**
 * The local network's named accounts (anvil's public test mnemonic, the same indexes as the devnet):
 * on a simulated local network the web app signs in as one of them for you — their keys are public
 * knowledge and hold nothing of value. Never offered on any other network.
 */
export const LOCAL_ACCOUNTS = ['publisher', 'dataOwner', 'requester'] as const;
const INDEX: Record<(typeof LOCAL_ACCOUNTS)[number], number> = { publisher: 1, dataOwner: 2, requester: 3 };
const TEST_MNEMONIC = 'test test test test test test test test test test test junk';

type LocalAccount = HDAccount;
const derived = new Map<(typeof LOCAL_ACCOUNTS)[number], Promise<LocalAccount>>();

/** A named local account, derived once per process (the mnemonic's key derivation is the slow part). */
export function localAccount(role: (typeof LOCAL_ACCOUNTS)[number]): Promise<LocalAccount> {
  let account = derived.get(role);
  if (!account) {
    account = import('viem/accounts').then(({ mnemonicToAccount }) => mnemonicToAccount(TEST_MNEMONIC, { addressIndex: INDEX[role] }));
    derived.set(role, account);
  }
  return account;
}

export const localSignInAllowed = (): boolean => {
  const env = webEnv();
  return env.network === 'local' && env.simulated;
};

/** Whether the signed-in account is one of the local network's named accounts (its node signs for them). */
export async function isLocalAccount(address: string): Promise<boolean> {
  if (!localSignInAllowed()) return false;
  const addresses = await Promise.all(LOCAL_ACCOUNTS.map(async (role) => (await localAccount(role)).address.toLowerCase()));
  return addresses.includes(address.toLowerCase());
}
