import { BaseError } from '@confidant/errors';

/** An environment variable of the local network has a value it cannot use. */
export class DevnetConfigError extends BaseError {
  override name = 'DevnetConfigError';
  constructor(problems: string) {
    super(`the local network's settings are invalid: ${problems}`, {
      hints: [
        'CONFIDANT_DATA_DIR is a directory path; CONFIDANT_CHAIN_PORT, CONFIDANT_API_PORT and CONFIDANT_STORAGE_PORT are port numbers (0 picks a free one); DATABASE_URL a PostgreSQL URL.',
      ],
      kind: 'invalid-input',
    });
  }
}

/** The marketplace web app could not be started. */
export class WebAppStartError extends BaseError {
  override name = 'WebAppStartError';
  constructor(reason: string, hint: string) {
    super(`the web app could not start: ${reason}`, { hints: [hint], kind: 'unavailable' });
  }
}
