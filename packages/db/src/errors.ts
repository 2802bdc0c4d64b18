import { BaseError } from '@confidant/errors';

/** The database could not be opened or migrated. */
export class DatabaseUnavailableError extends BaseError {
  override name = 'DatabaseUnavailableError';
  constructor(target: string, cause: unknown) {
    super(`the database (${target}) could not be opened`, {
      details: cause instanceof Error ? cause.message : String(cause),
      hints: [
        'With DATABASE_URL set, check that PostgreSQL runs there and the user may create tables.',
        'Without it, check that the data directory is writable and not used by another process.',
      ],
      cause,
      kind: 'unavailable',
    });
  }
}
