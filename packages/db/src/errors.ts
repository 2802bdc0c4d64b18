import { BaseError } from '@confidant/errors';

/** The database could not be opened or migrated. */
export class DatabaseUnavailableError extends BaseError {
  override name = 'DatabaseUnavailableError';
  /** `service` names whose database it is (the SMS, the worker); the marketplace's has none. */
  constructor(target: string, cause: unknown, service?: string) {
    super(`the ${service ? `${service} ` : ''}database (${target}) could not be opened`, {
      details: cause instanceof Error ? cause.message : String(cause),
      hints: [
        'With a database URL (DATABASE_URL), check that PostgreSQL runs there and the user may create tables.',
        'Without it, check that the data directory is writable and not used by another process.',
      ],
      cause,
      kind: 'unavailable',
    });
  }
}
