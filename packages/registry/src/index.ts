export { type DevnetRegistry, startRegistry, type StartRegistryParameters } from './startRegistry.js';
export { type DistributionErrorCode, DistributionError, RegistryStartError } from './errors.js';
