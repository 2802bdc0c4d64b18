export { readLimited } from './body.js';
export { listen, type Listening, type ListenOptions, type RequestHandler } from './listen.js';
export {
  compileTemplate,
  createRouter,
  type CorsOptions,
  type HttpMethod,
  type Route,
  type RouteHandler,
  type RouteRequest,
  type RouterOptions,
  type RouterRefusals,
} from './router.js';
export {
  errorBody,
  httpStatuses,
  httpStatusOf,
  sendError,
  sendJson,
  sendNoContent,
  type ErrorBody,
  type HttpStatusOverrides,
  type SendErrorOptions,
} from './json.js';
export { createLineLogger, processLogger, redact, REDACTED, silentLogger, type LineLogger, type LineSinks } from './logger.js';
export { runMain, type RunMainOptions, type Running } from './runMain.js';
export {
  InternalServerError,
  InvalidRequestPathError,
  ListenError,
  MainFailedError,
  MethodNotAllowedError,
  RouteNotFoundError,
} from './errors.js';
