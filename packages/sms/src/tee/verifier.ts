import { createQuoteVerifier, productionVerifierOptions, type QuoteVerifier } from '@confidant/enclave';
import type { Address } from 'viem';

/** A verifier, or the simulation roots a verifier of simulated quotes should trust. */
export type VerifierOption = QuoteVerifier | { trustedSimulationRoots: readonly Address[] };

/**
 * The SMS's quote verifier. Without an option it is the production configuration, which trusts no
 * simulation root: a production SMS that was not told otherwise releases nothing to a simulated enclave.
 *
 * @example
 * const { verifier, description } = resolveVerifier({ trustedSimulationRoots: [devnetRoot] });
 */
export function resolveVerifier(option?: VerifierOption | undefined): { verifier: QuoteVerifier; description: string } {
  if (option && 'verify' in option) return { verifier: option, description: 'a custom quote verifier' };
  const roots = option?.trustedSimulationRoots ?? productionVerifierOptions.trustedSimulationRoots;
  return {
    verifier: createQuoteVerifier({ ...productionVerifierOptions, trustedSimulationRoots: roots }),
    description: roots.length === 0 ? 'no simulated platform trusted (production)' : `simulated quotes trusted from ${roots.join(', ')}`,
  };
}
