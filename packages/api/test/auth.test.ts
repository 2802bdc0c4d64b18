import { createSiweMessage } from 'viem/siwe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, refusal, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

async function signedMessage(overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {}, signer = h.chain.accounts.publisher) {
  const { nonce } = await h.client().auth.nonce.mutate();
  const message = createSiweMessage({
    domain: 'localhost',
    address: signer.address,
    uri: 'http://localhost/',
    version: '1',
    chainId: h.chain.chainId,
    nonce,
    ...overrides,
  });
  return { message, signature: await signer.account.signMessage({ message }) };
}

describe('Sign-In with Ethereum', () => {
  it('opens a session carried by a cookie or a bearer token, and closes it', async () => {
    const { message, signature } = await signedMessage();
    const response = await fetch(`${h.api.url}/auth.verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { message, signature } }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^confidant_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Lax; Path=\/; Max-Age=86400$/);
    const session = (await fetch(`${h.api.url}/auth.session`, { headers: { cookie: cookie.split(';')[0] as string } }).then((r) =>
      r.json(),
    )) as { result: { data: { json: unknown } } };
    expect(session.result.data.json).toEqual({ address: h.chain.accounts.publisher.address.toLowerCase() });

    const token = await h.signIn(h.chain.accounts.dataOwner);
    expect(await h.client(token).auth.session.query()).toEqual({ address: h.chain.accounts.dataOwner.address.toLowerCase() });
    await h.client(token).auth.signOut.mutate();
    expect(await h.client(token).auth.session.query()).toBeNull();
  });

  it('refuses a forged signature', async () => {
    const { message } = await signedMessage();
    const forged = await h.chain.accounts.requester.account.signMessage({ message });
    const error = await refusal(h.client().auth.verify.mutate({ message, signature: forged }));
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', errorName: 'SignInRefusedError' });
    expect(error.message).toBe(`sign-in refused: the signature is not from ${h.chain.accounts.publisher.address}`);
  });

  it('refuses a replayed message: a nonce is single use', async () => {
    const signed = await signedMessage();
    await h.client().auth.verify.mutate(signed);
    const error = await refusal(h.client().auth.verify.mutate(signed));
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', message: 'sign-in refused: the nonce is unknown, expired or already used' });
  });

  it('refuses a nonce it never issued, another domain, another chain and an expired message', async () => {
    const invented = createSiweMessage({
      domain: 'localhost',
      address: h.chain.accounts.publisher.address,
      uri: 'http://localhost/',
      version: '1',
      chainId: h.chain.chainId,
      nonce: 'abcdefgh12345678',
    });
    const inventedError = await refusal(
      h
        .client()
        .auth.verify.mutate({ message: invented, signature: await h.chain.accounts.publisher.account.signMessage({ message: invented }) }),
    );
    expect(inventedError.message).toBe('sign-in refused: the nonce is unknown, expired or already used');
    expect((await refusal(h.client().auth.verify.mutate(await signedMessage({ domain: 'evil.example' })))).message).toBe(
      'sign-in refused: the message is for evil.example, not this marketplace',
    );
    expect((await refusal(h.client().auth.verify.mutate(await signedMessage({ chainId: 1 })))).message).toBe(
      'sign-in refused: the message is for chain 1, this marketplace serves chain 31337',
    );
    expect(
      (await refusal(h.client().auth.verify.mutate(await signedMessage({ expirationTime: new Date(Date.now() - 1000) })))).message,
    ).toBe('sign-in refused: the message has expired');
  });

  it('refuses malformed input with a readable message', async () => {
    const error = await refusal(h.client().auth.verify.mutate({ message: 'hello', signature: 'nothex' as `0x${string}` }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe('signature: must be 0x-prefixed hex bytes');
    const notSiwe = await refusal(h.client().auth.verify.mutate({ message: 'hello', signature: '0x00' }));
    expect(notSiwe.message).toBe('sign-in refused: the message is not an EIP-4361 message');
  });
});
