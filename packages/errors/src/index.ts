export { BaseError, type BaseErrorKind, type BaseErrorParameters } from './BaseError.js';
