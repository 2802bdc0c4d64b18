export { BaseError, type BaseErrorKind, type BaseErrorParameters } from './BaseError.js';
export { reviveError, reviver, type ErrorReviver, type RevivedErrorOptions } from './wire.js';
// The API's errors are in `@confidant/errors/api` (they validate their fields with zod; this entry has no dependency).
