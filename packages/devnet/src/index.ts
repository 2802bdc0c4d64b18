export { startDevnet, type Devnet, type StartDevnetParameters } from './startDevnet.js';
export { readDevnetEnv, type DevnetEnv } from './env.js';
export { DevnetConfigError } from './errors.js';
