import { signInMessage } from '@confidant/sdk';
import { z } from 'zod';
import { api } from './api';
import { webEnv } from './env';

const verifyAnswer = z.object({ token: z.string(), address: z.string(), expiresAt: z.coerce.date() });

/** The EIP-4361 message an account signs to sign in (a fresh single-use nonce from the API). */
export const signInMessageFor = (address: `0x${string}`): Promise<string> => signInMessage(api(), address);

/** Hands a signed message to the API; its session token becomes the visitor's cookie. */
export async function verifySignIn(message: string, signature: `0x${string}`) {
  return api().mutation('auth.verify', { message, signature }, verifyAnswer);
}

/**
 * The local network's named accounts (anvil's public test mnemonic, the same indexes as the devnet):
 * on a simulated local network the web app signs in as one of them for you — their keys are public
 * knowledge and hold nothing of value. Never offered on any other network.
 */
export const LOCAL_ACCOUNTS = ['publisher', 'dataOwner', 'requester'] as const;
const INDEX: Record<(typeof LOCAL_ACCOUNTS)[number], number> = { publisher: 1, dataOwner: 2, requester: 3 };
const TEST_MNEMONIC = 'test test test test test test test test test test test junk';

export async function localAccount(role: (typeof LOCAL_ACCOUNTS)[number]) {
  const { mnemonicToAccount } = await import('viem/accounts');
  return mnemonicToAccount(TEST_MNEMONIC, { addressIndex: INDEX[role] });
}

export const localSignInAllowed = (): boolean => {
  const env = webEnv();
  return env.network === 'local' && env.simulated;
};

let localAddresses: Promise<string[]> | undefined;

/** Whether the signed-in account is one of the local network's named accounts (its node signs for them). */
export async function isLocalAccount(address: string): Promise<boolean> {
  if (!localSignInAllowed()) return false;
  localAddresses ??= Promise.all(LOCAL_ACCOUNTS.map(async (role) => (await localAccount(role)).address.toLowerCase()));
  return (await localAddresses).includes(address.toLowerCase());
}
