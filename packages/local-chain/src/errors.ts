import { BaseError } from '@confidant/errors';

/** anvil could not be started or did not come up. */
export class AnvilStartError extends BaseError {
  override name = 'AnvilStartError';
  constructor(reason: string, output: string) {
    super(`the local chain (anvil) did not start: ${reason}`, {
      details: output.trim().split('\n').slice(-5).join('\n') || undefined,
      hints: [
        'Reinstall dependencies (`npm test` or `npm start` does it) so @foundry-rs/anvil ships its binary for this platform.',
        'If a port was given, make sure no other process listens on it.',
      ],
      kind: 'unavailable',
    });
  }
}

/** A step of the PoCo deployment failed on the local chain. */
export class DeploymentError extends BaseError {
  override name = 'DeploymentError';
  constructor(step: string, details?: string) {
    super(`deploying PoCo on the local chain failed at "${step}"`, {
      details,
      hints: ['Delete the chain data directory to start from a fresh chain, then start again.'],
      kind: 'internal',
    });
  }
}

/** The data directory holds a chain this version cannot reuse. */
export class ChainStateError extends BaseError {
  override name = 'ChainStateError';
  constructor(dataDir: string, reason: string, hint = `Delete ${dataDir} to start from a fresh chain.`) {
    super(`the chain data directory ${dataDir} cannot be reused: ${reason}`, {
      hints: [hint],
      kind: 'conflict',
    });
  }
}

/** The test mnemonic yields no key at a derivation index (an index past 2^31 - 1, or a broken seed). */
export class AccountDerivationError extends BaseError {
  override name = 'AccountDerivationError';
  constructor(index: number) {
    super(`the test mnemonic gives no key at index ${index}`, {
      hints: ['Use an account index between 0 and 2147483647.'],
      kind: 'invalid-input',
    });
  }
}
