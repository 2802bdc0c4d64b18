import { constants, createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { writeZip } from '@confidant/protected-data';
import { ResultDecryptionError, TaskSecretsError } from '../errors.js';
import { readZipEntries } from './zipEntries.js';

/** The encrypted result archive's entries, as iExec names them. */
export const ENCRYPTED_RESULT_FILE = 'iexec_out.zip.aes';
export const WRAPPED_KEY_FILE = 'aes-key.rsa';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Encrypts a result archive for its beneficiary, as iExec's post-compute does: a random AES-256 key
 * encrypts the zip (16-byte IV || AES-256-CBC/PKCS#7) into `iexec_out.zip.aes`; the key is wrapped
 * with the beneficiary's RSA public key (PKCS#1 v1.5) and stored base64 in `aes-key.rsa`; both are
 * zipped. The public key is a PEM, or base64 of a PEM (how the SMS holds it).
 *
 * @example
 * const encrypted = encryptResult(zip, secrets.resultEncryptionPublicKey);
 */
export function encryptResult(zip: Uint8Array, publicKey: string): Uint8Array {
  const pem = publicKey.trimStart().startsWith('-----') ? publicKey : Buffer.from(publicKey, 'base64').toString('utf8');
  let key: ReturnType<typeof createPublicKey>;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new TaskSecretsError('the result encryption key is not a public key PEM', 'Push base64 of the beneficiary\'s RSA public key (SPKI PEM) as the web2 secret iexec-result-encryption-public-key.');
  }
  if (key.asymmetricKeyType !== 'rsa') throw new TaskSecretsError(`the result encryption key is a ${key.asymmetricKeyType} key, not RSA`, 'Push an RSA public key (2048 bits or more).');
  const aesKey = randomBytes(32);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', aesKey, iv);
  const encrypted = Buffer.concat([iv, cipher.update(zip), cipher.final()]);
  const wrapped = publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, aesKey).toString('base64');
  aesKey.fill(0);
  return writeZip([
    { path: ENCRYPTED_RESULT_FILE, data: new Uint8Array(encrypted) },
    { path: WRAPPED_KEY_FILE, data: new TextEncoder().encode(wrapped) },
  ]);
}

/**
 * RSAES-PKCS1-v1_5 decryption. Node 20 refuses PKCS#1 v1.5 private decryption (CVE-2023-46809, a
 * timing oracle for servers that answer on decryption errors); here the holder decrypts their own
 * result offline, so the raw RSA operation is done by OpenSSL and the padding (00 02 PS 00 M) is
 * checked here, with one error for every failure.
 */
function unwrapKey(wrapped: Buffer, privateKey: ReturnType<typeof createPrivateKey>): Buffer {
  const fail = () => new ResultDecryptionError('the wrapped AES key does not open with this private key');
  let block: Buffer;
  try {
    block = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, wrapped);
  } catch {
    throw fail();
  }
  if (block[0] !== 0 || block[1] !== 2) throw fail();
  const separator = block.indexOf(0, 2);
  if (separator < 10) throw fail();
  const message = block.subarray(separator + 1);
  if (message.length === 32) return Buffer.from(message);
  // Some iExec versions wrapped the base64 of the key.
  const text = message.toString('latin1');
  if (BASE64.test(text)) {
    const decoded = Buffer.from(text, 'base64');
    if (decoded.length === 32) return decoded;
  }
  throw fail();
}

/**
 * Reverses encryptResult for the beneficiary: returns the result's zip (the bytes of IEXEC_OUT zipped).
 *
 * @example
 * const zip = decryptResult(await download(cid), readFileSync('beneficiary.pem', 'utf8'));
 */
export function decryptResult(zipBytes: Uint8Array, rsaPrivateKeyPem: string): Uint8Array {
  const files = readZipEntries(zipBytes);
  const find = (suffix: string) => [...files.entries()].find(([name]) => name === suffix || name.endsWith(`/${suffix}`))?.[1];
  const encrypted = find(ENCRYPTED_RESULT_FILE);
  const wrappedFile = find(WRAPPED_KEY_FILE);
  if (!encrypted || !wrappedFile) throw new ResultDecryptionError(`it has no ${encrypted ? WRAPPED_KEY_FILE : ENCRYPTED_RESULT_FILE}; it may not be an encrypted result`);
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(rsaPrivateKeyPem);
  } catch {
    throw new ResultDecryptionError('the private key is not a PEM private key');
  }
  const text = Buffer.from(wrappedFile).toString('latin1').replace(/\s+/g, '');
  const wrapped = BASE64.test(text) ? Buffer.from(text, 'base64') : Buffer.from(wrappedFile);
  const aesKey = unwrapKey(wrapped, privateKey);
  if (encrypted.length < 32 || encrypted.length % 16 !== 0) throw new ResultDecryptionError(`${ENCRYPTED_RESULT_FILE} is not IV + whole AES blocks`);
  try {
    const decipher = createDecipheriv('aes-256-cbc', aesKey, encrypted.subarray(0, 16));
    return new Uint8Array(Buffer.concat([decipher.update(encrypted.subarray(16)), decipher.final()]));
  } catch {
    throw new ResultDecryptionError(`${ENCRYPTED_RESULT_FILE} does not decrypt with the unwrapped key`);
  } finally {
    aesKey.fill(0);
  }
}
