import { generatePrivateKey } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { createEnclaveKeys, createQuoteVerifier, createSimulatedPlatform, productionVerifierOptions } from './attestation.js';
import { QuoteRejectedError, SealedBoxError } from './errors.js';
import { openSealedBox, sealToEnclave } from './seal.js';

const taskId = `0x${'12'.repeat(32)}` as const;
const measurement = `0x${'ab'.repeat(32)}` as const;

async function quoteFor(platform = createSimulatedPlatform()) {
  const keys = createEnclaveKeys();
  const quote = await platform.quote({
    measurement,
    enclaveAddress: keys.account.address,
    encryptionPublicKey: keys.encryptionPublicKey,
    taskId,
    nonce: `0x${'77'.repeat(32)}`,
    issuedAt: Math.floor(Date.now() / 1000),
  });
  return { keys, quote, platform };
}

describe('attestation (simulated platform)', () => {
  it('verifies a quote from a trusted root and returns what it binds', async () => {
    const { keys, quote, platform } = await quoteFor();
    const verified = await createQuoteVerifier({ trustedSimulationRoots: [platform.root] }).verify(quote, {
      taskId,
      enclaveAddress: keys.account.address,
    });
    expect(verified).toMatchObject({
      platform: 'simulated',
      measurement,
      enclaveAddress: keys.account.address,
      taskId,
      root: platform.root,
    });
  });

  it('the production configuration refuses every simulated quote', async () => {
    const { keys, quote } = await quoteFor();
    await expect(
      createQuoteVerifier(productionVerifierOptions).verify(quote, { taskId, enclaveAddress: keys.account.address }),
    ).rejects.toThrow('this verifier trusts no simulated platform');
  });

  it('refuses an untrusted root, a forged signature, another task, another enclave, a stale quote, garbage', async () => {
    const trusted = createSimulatedPlatform();
    const verifier = createQuoteVerifier({ trustedSimulationRoots: [trusted.root] });
    const { keys, quote } = await quoteFor(createSimulatedPlatform(generatePrivateKey()));
    const expected = { taskId, enclaveAddress: keys.account.address };
    await expect(verifier.verify(quote, expected)).rejects.toThrow(/platform root 0x[0-9a-fA-F]{40} is not trusted here/);
    // Claims the trusted root but is signed by another key.
    await expect(verifier.verify({ ...quote, root: trusted.root }, expected)).rejects.toThrow(`not by the root ${trusted.root}`);
    const good = await quoteFor(trusted);
    const goodExpected = { taskId, enclaveAddress: good.keys.account.address };
    // Any claim changed after signing breaks the signature.
    await expect(verifier.verify({ ...good.quote, measurement: `0x${'cd'.repeat(32)}` }, goodExpected)).rejects.toThrow(QuoteRejectedError);
    await expect(verifier.verify(good.quote, { ...goodExpected, taskId: `0x${'34'.repeat(32)}` })).rejects.toThrow('it is for task');
    await expect(verifier.verify(good.quote, { ...goodExpected, enclaveAddress: keys.account.address })).rejects.toThrow(
      'it binds enclave',
    );
    const late = createQuoteVerifier({ trustedSimulationRoots: [trusted.root], now: () => good.quote.issuedAt + 7200 });
    await expect(late.verify(good.quote, goodExpected)).rejects.toThrow('quotes are valid for 3600 s');
    await expect(verifier.verify({ hello: 'world' }, goodExpected)).rejects.toThrow('not a quote of a known format');
  });
});

describe('sealing secrets to an enclave', () => {
  it('opens only with the enclave key and the same context', () => {
    const keys = createEnclaveKeys();
    const box = sealToEnclave(keys.encryptionPublicKey, '{"datasetKey":"k"}', taskId);
    expect(new TextDecoder().decode(openSealedBox(keys, box, taskId))).toBe('{"datasetKey":"k"}');
    expect(() => openSealedBox(createEnclaveKeys(), box, taskId)).toThrow(SealedBoxError);
    expect(() => openSealedBox(keys, box, 'another task')).toThrow(SealedBoxError);
    expect(() => openSealedBox(keys, { ...box, ciphertext: `${box.ciphertext.slice(0, -2)}00` }, taskId)).toThrow(SealedBoxError);
    expect(() => sealToEnclave(`0x${'00'.repeat(31)}` as never, 'x', taskId)).toThrow(SealedBoxError);
  });
});
