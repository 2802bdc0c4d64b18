import { generateKeyPairSync } from 'node:crypto';
import { type Address, encodeAbiParameters, getAddress, type Hex, isHex, keccak256, recoverMessageAddress, stringToHex } from 'viem';
import { generatePrivateKey, type LocalAccount, privateKeyToAccount } from 'viem/accounts';
import { addressSchema, lowercaseBytes32Schema } from '@confidant/contracts/schemas';
import { z } from 'zod';
import { QuoteRejectedError } from './errors.js';

/**
 * What an enclave proves about itself for one task: the measurement of the code it runs, its fresh
 * signing key (the enclave challenge, an address), its key for receiving secrets, and the task.
 */
export type QuoteClaims = {
  platform: 'simulated' | 'tdx';
  /** bytes32: the app image's measurement (its manifest digest), which must equal the app's on-chain checksum. */
  measurement: Hex;
  /** The enclave challenge: signs the result; the chain checks it in contributeAndFinalize. */
  enclaveAddress: Address;
  /** X25519 public key (raw 32 bytes, hex) the SMS seals secrets to. */
  encryptionPublicKey: Hex;
  taskId: Hex;
  /** bytes32 the SMS handed out for this task (`POST /tee/challenges/{taskId}`): the quote is fresh. */
  nonce: Hex;
  /** Unix seconds. */
  issuedAt: number;
};

/** A quote: the claims and the platform's evidence over them (for `simulated`, a root key's signature). */
export type Quote = QuoteClaims & { version: 1; root: Address; signature: Hex };

const hex32 = lowercaseBytes32Schema;
const checksumAddressSchema = addressSchema.transform((value) => getAddress(value));
export const quoteSchema = z.object({
  version: z.literal(1),
  platform: z.enum(['simulated', 'tdx']),
  measurement: hex32,
  enclaveAddress: checksumAddressSchema,
  encryptionPublicKey: hex32,
  taskId: hex32,
  nonce: hex32,
  issuedAt: z.number().int().nonnegative(),
  root: checksumAddressSchema,
  signature: z.string().refine((value) => isHex(value), 'a hex signature'),
});

const QUOTE_DOMAIN = stringToHex('CONFIDANT_SIMULATED_QUOTE_V1', { size: 32 });

/** The digest a simulated platform root signs (EIP-191): every claim, ABI-encoded under a domain tag. */
export function quoteDigest(claims: QuoteClaims): Hex {
  return keccak256(
    encodeAbiParameters(
      [
        { type: 'bytes32' },
        { type: 'string' },
        { type: 'bytes32' },
        { type: 'address' },
        { type: 'bytes32' },
        { type: 'bytes32' },
        { type: 'bytes32' },
        { type: 'uint64' },
      ],
      [
        QUOTE_DOMAIN,
        claims.platform,
        claims.measurement,
        claims.enclaveAddress,
        claims.encryptionPublicKey,
        claims.taskId,
        claims.nonce,
        BigInt(claims.issuedAt),
      ],
    ),
  );
}

/**
 * A simulated TEE platform: a root key that signs quotes, as a CPU vendor's key would. Anyone with
 * the root key can forge quotes — which is why production trusts no simulation root.
 *
 * @example
 * const platform = createSimulatedPlatform(rootPrivateKey);
 * const quote = await platform.quote(claims);
 */
export function createSimulatedPlatform(rootPrivateKey: Hex = generatePrivateKey()): {
  root: Address;
  quote(claims: Omit<QuoteClaims, 'platform'>): Promise<Quote>;
} {
  const root = privateKeyToAccount(rootPrivateKey);
  return {
    root: root.address,
    async quote(claims) {
      const full: QuoteClaims = { ...claims, platform: 'simulated' };
      const signature = await root.signMessage({ message: { raw: quoteDigest(full) } });
      return { version: 1, ...full, root: root.address, signature };
    },
  };
}

/** What a verifier vouches for once a quote checks out. */
export type VerifiedQuote = QuoteClaims & { root: Address };

/**
 * Checks quotes. A real Intel TDX verifier (DCAP collateral, Intel's root) implements the same
 * interface; this one knows only simulated quotes and the roots it is told to trust.
 */
export type QuoteVerifier = {
  verify(quote: unknown, expected: { taskId: Hex; enclaveAddress: Address }): Promise<VerifiedQuote>;
};

export type QuoteVerifierOptions = {
  /** Simulation roots to trust. Production passes none: `productionVerifierOptions`. */
  trustedSimulationRoots: readonly Address[];
  /** Quotes older than this are refused (seconds, default 1 hour). */
  maxAgeSeconds?: number | undefined;
  now?: (() => number) | undefined;
};

/** What a production deployment trusts: no simulation root at all. */
export const productionVerifierOptions: QuoteVerifierOptions = { trustedSimulationRoots: [] };

/**
 * A verifier of simulated quotes against a set of trusted roots.
 *
 * @example
 * const verifier = createQuoteVerifier({ trustedSimulationRoots: [devnetRoot] });
 * const verified = await verifier.verify(quote, { taskId, enclaveAddress });
 */
export function createQuoteVerifier(options: QuoteVerifierOptions): QuoteVerifier {
  const trusted = new Set(options.trustedSimulationRoots.map((root) => getAddress(root)));
  const maxAge = options.maxAgeSeconds ?? 3600;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  return {
    async verify(input, expected) {
      const parsed = quoteSchema.safeParse(input);
      if (!parsed.success)
        throw new QuoteRejectedError('it is not a quote of a known format', 'Send the quote exactly as the enclave produced it.');
      const quote = parsed.data;
      if (quote.platform === 'tdx')
        throw new QuoteRejectedError('TDX quotes need a TDX verifier, and this one verifies simulated quotes only');
      if (!trusted.has(quote.root))
        throw new QuoteRejectedError(
          `its platform root ${quote.root} is not trusted here${trusted.size === 0 ? ' (this verifier trusts no simulated platform)' : ''}`,
        );
      let signer: Address;
      try {
        signer = await recoverMessageAddress({ message: { raw: quoteDigest(quote) }, signature: quote.signature as Hex });
      } catch {
        throw new QuoteRejectedError('its signature is malformed');
      }
      if (signer !== quote.root) throw new QuoteRejectedError(`it is signed by ${signer}, not by the root ${quote.root} it names`);
      if (quote.taskId !== expected.taskId.toLowerCase())
        throw new QuoteRejectedError(`it is for task ${quote.taskId}, not ${expected.taskId}`);
      if (quote.enclaveAddress !== getAddress(expected.enclaveAddress))
        throw new QuoteRejectedError(`it binds enclave ${quote.enclaveAddress}, not ${expected.enclaveAddress}`);
      const age = now() - quote.issuedAt;
      if (age > maxAge || age < -300)
        throw new QuoteRejectedError(
          `it was issued ${age} s ago; quotes are valid for ${maxAge} s`,
          'Start the enclave again for a fresh quote.',
        );
      const { version: _version, signature: _signature, ...claims } = quote;
      return claims;
    },
  };
}

/** An enclave's keys for one task: the challenge (signing) key and the X25519 key secrets are sealed to. */
export type EnclaveKeys = {
  account: LocalAccount;
  encryptionPublicKey: Hex;
  /** PKCS#8 DER of the X25519 private key; never leaves the enclave. */
  encryptionPrivateKey: Uint8Array;
};

/** Fresh keys for an enclave, made inside it for one task. */
export function createEnclaveKeys(): EnclaveKeys {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return {
    account: privateKeyToAccount(generatePrivateKey()),
    encryptionPublicKey: `0x${Buffer.from(raw).toString('hex')}`,
    encryptionPrivateKey: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })),
  };
}
