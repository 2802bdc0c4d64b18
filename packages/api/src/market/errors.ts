import { BaseError, type BaseErrorKind } from '@confidant/errors';

/**
 * A refusal of the iExec market API door, answered as iExec's market API answers one:
 * `{ ok: false, error: <message> }` with the status of its kind (400, 401, 403, 404).
 */
class MarketApiError extends BaseError {
  override name = 'MarketApiError';
  constructor(message: string, kind: Extract<BaseErrorKind, 'invalid-input' | 'unauthenticated' | 'forbidden' | 'not-found'>) {
    super(message, { kind });
  }
}

export const invalid = (message: string) => new MarketApiError(message, 'invalid-input');
export const unauthorized = (message: string) => new MarketApiError(message, 'unauthenticated');
export const forbidden = (message: string) => new MarketApiError(message, 'forbidden');
export const notFound = (message: string) => new MarketApiError(message, 'not-found');
