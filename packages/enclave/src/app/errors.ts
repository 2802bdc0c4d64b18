import { BaseError } from '@confidant/errors';

/** The app runs outside a task: a variable of the IEXEC_* contract it needs is not set. */
export class TaskEnvironmentError extends BaseError {
  override name = 'TaskEnvironmentError';
  constructor(variable: string) {
    super(`${variable} is not set: this code expects to run as an iApp inside a task`, {
      hints: [
        'Run the app with `confidant test` or through a worker, which set the IEXEC_* variables; in a unit test, pass your own TaskEnv.',
      ],
      kind: 'invalid-input',
    });
  }
}

/** The task has no protected data, or its file is not where the environment says (iExec's wording). */
export class MissingProtectedDataError extends BaseError {
  override name = 'MissingProtectedDataError';
  constructor(details?: string) {
    super('Missing protected data', {
      details,
      hints: ['Run the app on a protected data (`--protectedData <address>`), or check IEXEC_DATASET_FILENAME before reading values.'],
      kind: 'not-found',
    });
  }
}

/** A result file the app wants to write breaks a rule of the result folder. */
export class ResultFileError extends BaseError {
  override name = 'ResultFileError';
  constructor(name: string, reason: string) {
    super(`cannot write the result file "${name}": ${reason}`, {
      hints: ['Write plain files directly in IEXEC_OUT with names of at most 31 characters.'],
      kind: 'invalid-input',
    });
  }
}
