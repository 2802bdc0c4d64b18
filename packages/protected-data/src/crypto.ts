import type { ResultPrivateKey } from './rsa.js';

/** One direction of AES-256-CBC over a stream of chunks; `final` adds (or checks and strips) PKCS#7 padding. */
export type CipherStream = {
  update(chunk: Uint8Array): Promise<Uint8Array>;
  final(): Promise<Uint8Array>;
};

/** An incremental SHA-256. */
export type Sha256Stream = {
  update(chunk: Uint8Array): void;
  digest(): Uint8Array;
};

/**
 * The primitives protecting and reading data (and reading results) need; Node (`node:crypto`,
 * zlib) and browsers (WebCrypto, JavaScript) provide them differently.
 */
export type CryptoProvider = {
  randomBytes(length: number): Uint8Array;
  /** AES-256-CBC encryption of a stream; ciphertext only (the caller writes the IV). */
  createEncryptor(key: Uint8Array, iv: Uint8Array): CipherStream;
  /** AES-256-CBC decryption; `final` rejects with CorruptedDataError on bad padding. */
  createDecryptor(key: Uint8Array, iv: Uint8Array): CipherStream;
  createSha256(): Sha256Stream;
  crc32(data: Uint8Array, previous?: number): number;
  /**
   * The raw RSA private-key operation on one block (what unwraps a result's AES key; the caller
   * checks the PKCS#1 v1.5 padding). Optional: where it is missing, it is done in JavaScript.
   */
  rsaDecryptRaw?(privateKey: ResultPrivateKey, block: Uint8Array): Promise<Uint8Array>;
};
