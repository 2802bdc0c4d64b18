import { createApiClient } from '@confidant/sdk';
import { createSiweMessage } from 'viem/siwe';
import { z } from 'zod';
import { webEnv } from './api';

const nonceAnswer = z.object({ nonce: z.string(), domains: z.array(z.string()).min(1), chainId: z.number() });
const verifyAnswer = z.object({ token: z.string(), address: z.string(), expiresAt: z.coerce.date() });

/** The EIP-4361 message an account signs to sign in (a fresh single-use nonce from the API). */
export async function signInMessage(address: `0x${string}`): Promise<string> {
  const api = createApiClient(webEnv().apiUrl);
  const { nonce, domains, chainId } = await api.mutation('auth.nonce', undefined, nonceAnswer);
  const domain = domains[0] as string;
  return createSiweMessage({
    domain,
    address,
    uri: `http://${domain}/`,
    version: '1',
    chainId,
    nonce,
    statement: 'Sign in to the Confidant marketplace',
    issuedAt: new Date(),
    expirationTime: new Date(Date.now() + 10 * 60_000),
  });
}

/** Hands a signed message to the API; its session token becomes the visitor's cookie. */
export async function verifySignIn(message: string, signature: `0x${string}`) {
  return createApiClient(webEnv().apiUrl).mutation('auth.verify', { message, signature }, verifyAnswer);
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
