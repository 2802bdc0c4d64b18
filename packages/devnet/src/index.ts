export { startDevnet, type Devnet, type StartDevnetParameters } from './startDevnet.js';
export { readDevnetEnv, type DevnetEnv } from './env.js';
export { DevnetConfigError, WebAppStartError } from './errors.js';
export {
  startStorage,
  type DevnetStorage,
  type StartStorageParameters,
  type AddedFile,
  ContentNotFoundError,
  StorageRequestError,
  StorageStartError,
} from '@confidant/storage';
export { devnetSummary } from './summary.js';
export { devnetClient } from './client.js';
export { startWebApp, webEndpointsOf, type StartWebAppParameters, type WebApp, type WebAppEndpoints } from './web.js';
