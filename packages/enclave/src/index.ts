export {
  createEnclaveKeys,
  createQuoteVerifier,
  createSimulatedPlatform,
  productionVerifierOptions,
  quoteDigest,
  quoteSchema,
  type EnclaveKeys,
  type Quote,
  type QuoteClaims,
  type QuoteVerifier,
  type QuoteVerifierOptions,
  type VerifiedQuote,
} from './attestation.js';
export { openSealedBox, sealToEnclave, type SealedBox } from './seal.js';
export { QuoteRejectedError, SealedBoxError } from './errors.js';
