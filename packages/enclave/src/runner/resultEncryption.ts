import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { ENCRYPTED_RESULT_FILE, WRAPPED_KEY_FILE, writeZip } from '@confidant/protected-data';
import { encryptAes256Cbc } from '@confidant/protected-data/node';
import { TaskSecretsError } from '../errors.js';

/**
 * Encrypts a result archive for its beneficiary, as iExec's TDX post-compute does: a random AES-256
 * key encrypts the zip (16-byte IV || AES-256-CBC/PKCS#7) into `iexec_out.zip.aes`; the raw key is
 * wrapped with the beneficiary's RSA public key (PKCS#1 v1.5) and the wrapped bytes are stored as
 * they are in `aes-key.rsa`; both go at the root of a DEFLATE zip. `iexec`'s `utils.decryptResult`
 * and iExec's DataProtector open it. The public key is a PEM, or base64 of a PEM (how the SMS holds it). The beneficiary opens
 * it with `decryptResult` or `readResult` of @confidant/protected-data, in Node or a browser.
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
    throw new TaskSecretsError(
      'the result encryption key is not a public key PEM',
      "Push base64 of the beneficiary's RSA public key (SPKI PEM) as the web2 secret iexec-result-encryption-public-key.",
    );
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new TaskSecretsError(
      `the result encryption key is a ${key.asymmetricKeyType} key, not RSA`,
      'Push an RSA public key (2048 bits or more).',
    );
  const aesKey = randomBytes(32);
  const encrypted = encryptAes256Cbc(zip, aesKey.toString('base64'));
  const wrapped = new Uint8Array(publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, aesKey));
  aesKey.fill(0);
  return writeZip(
    [
      { path: ENCRYPTED_RESULT_FILE, data: encrypted },
      { path: WRAPPED_KEY_FILE, data: wrapped },
    ],
    { deflateRaw: (bytes) => deflateRawSync(bytes) },
  );
}
