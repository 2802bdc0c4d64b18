export { startStorage, type DevnetStorage, type StartStorageParameters } from './storage.js';
export type { AddedFile } from './add.js';
export { ContentNotFoundError, StorageRequestError, StorageStartError } from './errors.js';
