/**
 * What kind of failure an error is, so servers map it to a status in one place and callers decide
 * whether to retry, fix their input or sign in.
 */
export type BaseErrorKind = 'invalid-input' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'unavailable' | 'internal';

export type BaseErrorParameters = {
  /** Longer explanation of what happened (never a secret). */
  details?: string | undefined;
  /** What the user can do next, one sentence each. */
  hints?: readonly string[] | undefined;
  /** Path of the page in the docs that explains this failure. */
  docsPath?: string | undefined;
  /** The lower-level error this one explains. */
  cause?: unknown;
  kind?: BaseErrorKind | undefined;
  /**
   * The values the message is made of, sent with the error when it crosses a process boundary so
   * the other side rebuilds the same error class (never a secret).
   */
  fields?: Readonly<Record<string, unknown>> | undefined;
};

/**
 * The base of every error the platform throws: a short message a person can read, then what to do.
 *
 * @example
 * throw new BaseError('the dataset order only allows app 0xabc…', {
 *   hints: ['Ask the data owner to grant access to your app, or run the app it was granted to.'],
 *   kind: 'forbidden',
 * });
 */
export class BaseError extends Error {
  override name = 'ConfidantError';
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly hints: readonly string[];
  readonly docsPath: string | undefined;
  readonly kind: BaseErrorKind;
  /** The values the message is made of (see `BaseErrorParameters.fields`); undefined for local-only errors. */
  readonly fields: Readonly<Record<string, unknown>> | undefined;

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const hints = parameters.hints ?? [];
    const lines = [shortMessage];
    if (parameters.details) lines.push('', `Details: ${parameters.details}`);
    if (hints.length > 0) lines.push('', ...hints.map((hint) => `→ ${hint}`));
    if (parameters.docsPath) lines.push('', `Docs: ${parameters.docsPath}`);
    super(lines.join('\n'), parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.details = parameters.details;
    this.hints = hints;
    this.docsPath = parameters.docsPath;
    this.kind = parameters.kind ?? 'internal';
    this.fields = parameters.fields;
  }

  /**
   * The first error in the cause chain (this one included) that matches, or the deepest one.
   *
   * @example
   * const reason = error.walk((e) => e instanceof OrderConsumedError);
   */
  walk(match?: (error: unknown) => boolean): unknown {
    return walkCauses(this, match);
  }
}

function walkCauses(error: unknown, match: ((error: unknown) => boolean) | undefined): unknown {
  if (match?.(error)) return error;
  const next = error instanceof Error ? error.cause : undefined;
  if (next === undefined) return match ? undefined : error;
  return walkCauses(next, match);
}
