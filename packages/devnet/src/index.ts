export { startDevnet, type Devnet, type StartDevnetParameters } from './startDevnet.js';
export { readDevnetEnv, type DevnetEnv } from './env.js';
export { DevnetConfigError, WebAppStartError } from './errors.js';
export { startStorage, type DevnetStorage, type StartStorageParameters } from './storage/storage.js';
export type { AddedFile } from './storage/add.js';
export { ContentNotFoundError, StorageRequestError, StorageStartError } from './storage/errors.js';
export { devnetSummary } from './summary.js';
export { devnetClient } from './client.js';
export { startWebApp, webAppDir, webEndpointsOf, type StartWebAppParameters, type WebApp, type WebAppEndpoints } from './web.js';
