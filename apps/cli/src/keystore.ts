import { createCipheriv, createDecipheriv, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { bytesToHex, type Hex, hexToBytes, keccak256 } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { z } from 'zod';
import { CliError, EXIT } from './output.js';

/** An Ethereum keystore (Web3 Secret Storage v3: scrypt + AES-128-CTR, keccak MAC), as geth and MetaMask export. */
export type Keystore = z.infer<typeof keystoreSchema>;

const keystoreSchema = z.object({
  version: z.literal(3),
  id: z.string(),
  address: z.string(),
  crypto: z.object({
    cipher: z.literal('aes-128-ctr'),
    ciphertext: z.string(),
    cipherparams: z.object({ iv: z.string() }),
    kdf: z.literal('scrypt'),
    kdfparams: z.object({ dklen: z.literal(32), n: z.number(), r: z.number(), p: z.number(), salt: z.string() }),
    mac: z.string(),
  }),
});

const SCRYPT = { n: 1 << 15, r: 8, p: 1 };

function derive(password: string, params: { n: number; r: number; p: number; salt: string }): Buffer {
  return scryptSync(password.normalize('NFKC'), Buffer.from(params.salt, 'hex'), 32, {
    N: params.n,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.n * params.r,
  });
}

/**
 * Encrypts a private key under a password.
 *
 * @example
 * const keystore = encryptKeystore(privateKey, password);
 */
export function encryptKeystore(privateKey: Hex, password: string): Keystore {
  const salt = randomBytes(32).toString('hex');
  const iv = randomBytes(16);
  const key = derive(password, { ...SCRYPT, salt });
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(hexToBytes(privateKey)), cipher.final()]);
  const mac = keccak256(Buffer.concat([key.subarray(16, 32), ciphertext])).slice(2);
  return {
    version: 3,
    id: randomUUID(),
    address: privateKeyToAddress(privateKey).slice(2).toLowerCase(),
    crypto: {
      cipher: 'aes-128-ctr',
      ciphertext: ciphertext.toString('hex'),
      cipherparams: { iv: iv.toString('hex') },
      kdf: 'scrypt',
      kdfparams: { dklen: 32, ...SCRYPT, salt },
      mac,
    },
  };
}

/**
 * The private key of a keystore; a wrong password is a clear error, never a wrong key.
 *
 * @example
 * const privateKey = decryptKeystore(JSON.parse(text), password);
 */
export function decryptKeystore(input: unknown, password: string): Hex {
  const parsed = keystoreSchema.safeParse(input);
  if (!parsed.success)
    throw new CliError(
      'the wallet file is not a v3 keystore (scrypt, aes-128-ctr)',
      'Import the private key again with `confidant wallet import`.',
    );
  const { crypto } = parsed.data;
  const key = derive(password, crypto.kdfparams);
  const ciphertext = Buffer.from(crypto.ciphertext, 'hex');
  if (keccak256(Buffer.concat([key.subarray(16, 32), ciphertext])).slice(2) !== crypto.mac.toLowerCase()) {
    throw new CliError(
      'wrong wallet password',
      'Type the password you chose with `confidant wallet create` or `import` (or set CONFIDANT_WALLET_PASSWORD).',
      EXIT.forbidden,
    );
  }
  const decipher = createDecipheriv('aes-128-ctr', key.subarray(0, 16), Buffer.from(crypto.cipherparams.iv, 'hex'));
  return bytesToHex(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
}
