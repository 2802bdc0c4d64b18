export { extractDataSchema, type DataLeaf, type DataObject, type DataSchema } from './schema.js';
export { createZipFromObject, prepareArchive, type PreparedArchive, type Progress } from './archive.js';
export { collect, decryptStream, encryptedSizeOf, encryptStream, protect, type ChecksummedStream, type ProtectedStream } from './cipher.js';
export type { CipherStream, CryptoProvider, Sha256Stream } from './crypto.js';
export {
  blobSource,
  bytesSource,
  createReader,
  decodeValue,
  openArchive,
  type ArchiveReader,
  type ArchiveSource,
  type ProtectedDataReader,
  type ReaderMode,
  type ValueOf,
} from './reader.js';
export { DEFAULT_UNZIP_LIMITS, type DeflateRaw, readZip, unzip, writeZip, type ZipEntry, type ZipLimits } from './zip.js';
export { decryptResult, ENCRYPTED_RESULT_FILE, readResult, unwrapResultKey, WRAPPED_KEY_FILE } from './result.js';
export type { ResultPrivateKey, RsaPrivateJwk } from './rsa.js';
export { sniffMimeType } from './mime.js';
export { type ByteSource, fromBase64, toBase64 } from './bytes.js';
export { cidToMultiaddr, InvalidCidError, multiaddrToLocation } from './multiaddr.js';
export {
  createIpfsClient,
  fetchContent,
  IpfsError,
  type IpfsAddOptions,
  type IpfsClient,
  type IpfsClientOptions,
  type IpfsFailure,
  type IpfsGetOptions,
  type IpfsTransferOptions,
} from './ipfs.js';
export {
  CorruptedDataError,
  InvalidDataError,
  MissingValueError,
  ResultDecryptionError,
  TooLargeError,
  UnsupportedPlatformError,
  ValueTypeError,
} from './errors.js';
