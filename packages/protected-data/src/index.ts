export { extractDataSchema, type DataLeaf, type DataObject, type DataSchema } from './schema.js';
export { createZipFromObject } from './serialize.js';
export { createReader, type ProtectedDataReader, type ValueOf } from './reader.js';
export { readZip, writeZip, type ZipEntry } from './zip.js';
export { sniffMimeType } from './mime.js';
export { CorruptedDataError, InvalidDataError, MissingValueError } from './errors.js';
