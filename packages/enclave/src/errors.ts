import { BaseError } from '@confidant/errors';

/** A quote that does not prove what it claims: untrusted root, wrong binding, malformed. */
export class QuoteRejectedError extends BaseError {
  override name = 'QuoteRejectedError';
  constructor(reason: string, hint = 'Run the task in an enclave whose platform root this verifier trusts.') {
    super(`the enclave's attestation is refused: ${reason}`, { hints: [hint], kind: 'forbidden' });
  }
}

/** Sealed secrets that cannot be opened by this enclave key. */
export class SealedBoxError extends BaseError {
  override name = 'SealedBoxError';
  constructor(reason: string) {
    super(`the sealed secrets cannot be opened: ${reason}`, {
      hints: ['Ask the SMS for a new session with this enclave\'s own key.'],
      kind: 'invalid-input',
    });
  }
}
