import { createSiweMessage } from 'viem/siwe';
import type { Address } from 'viem';
import { type ConfidantClient, signerOf } from './client.js';
import type { ApiClient } from './internal/api.js';

/**
 * Signs in to the marketplace API with the client's account (Sign-In with Ethereum); later calls
 * that need a session carry its token. Operations that need it sign in by themselves.
 *
 * @example
 * await signIn(confidant);
 */
export async function signIn(client: ConfidantClient): Promise<{ expiresAt: Date }> {
  const { wallet, address } = signerOf(client, 'signing in');
  const message = await signInMessage(client.api, address);
  const signature = await wallet.walletClient.signMessage({ message });
  const { token, expiresAt } = await client.api.auth.verify.mutate({ message, signature });
  client.api.setToken(token);
  return { expiresAt };
}

/**
 * The Sign-In with Ethereum (EIP-4361) message for `address`, with a fresh single-use nonce from the
 * API: what a wallet signs and `auth.verify` checks (valid 10 minutes).
 *
 * @example
 * const message = await signInMessage(createApiClient(apiUrl), '0x…');
 */
export async function signInMessage(api: ApiClient, address: Address): Promise<string> {
  const { nonce, domains, chainId } = await api.auth.nonce.mutate();
  const domain = domains[0] as string;
  return createSiweMessage({
    domain,
    address,
    uri: `http://${domain}/`,
    version: '1',
    chainId,
    nonce,
    statement: 'Sign in to Confidant',
    issuedAt: new Date(),
    expirationTime: new Date(Date.now() + 10 * 60_000),
  });
}
