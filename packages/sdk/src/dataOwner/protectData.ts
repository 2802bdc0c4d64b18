import { createDatasetWithSchema } from '@confidant/contracts';
import {
  cidToMultiaddr,
  type DataObject,
  type DataSchema,
  encryptStream,
  extractDataSchema,
  prepareArchive,
  toBase64,
} from '@confidant/protected-data';
import type { Address, Hex } from 'viem';
import { type ConfidantClient, signerOf } from '../client.js';
import { InvalidArgumentError, MissingServiceConfigError, ProtectDataIncompleteError, SmsError } from '../errors.js';

export type ProtectDataStep =
  | 'EXTRACT_DATA_SCHEMA'
  | 'CREATE_ZIP_FILE'
  | 'CREATE_ENCRYPTION_KEY'
  | 'ENCRYPT_FILE'
  | 'UPLOAD_ENCRYPTED_FILE'
  | 'DEPLOY_PROTECTED_DATA'
  | 'PUSH_SECRET_TO_SMS';

/** A step starting (`isDone: false`) or finished (`isDone: true`), with what it produced. */
export type ProtectDataStatus = { title: ProtectDataStep; isDone: boolean; payload?: Record<string, string> };

export type ProtectDataParameters = {
  /** The data: nested objects of booleans, numbers, bigints, strings, bytes and files (`Blob`). */
  data: DataObject;
  /** A public name for the protected data (on chain: never put a secret in it). */
  name?: string | undefined;
  onStatusUpdate?: ((status: ProtectDataStatus) => void) | undefined;
  /** Bytes encrypted so far while ENCRYPT_FILE runs (for progress bars on large files). */
  onProgress?: ((progress: { phase: 'checksum-files' | 'encrypt'; bytes: number; total: number }) => void) | undefined;
};

export type ProtectDataReturnType = {
  address: Address;
  name: string;
  owner: Address;
  schema: DataSchema;
  multiaddr: Hex;
  checksum: Hex;
  transactionHash: Hex;
  createdAt: Date;
};

/**
 * Protects data: infers its schema, serialises and encrypts it in the caller's process (the
 * plaintext and the key never leave it, except the key to the SMS), uploads the ciphertext,
 * registers the protected data on chain through the DataProtector contract — one transaction,
 * `createDatasetWithSchema(owner, name, JSON.stringify(schema), multiaddr, checksum)`, as
 * `@iexec/dataprotector` sends it; its `DatasetSchema` event publishes the schema to the
 * DataProtector subgraph and the marketplace's index — then pushes its key to the SMS. Files of any
 * size are streamed.
 *
 * @example
 * const { address } = await protectData(confidant, { data: { email: 'alice@example.com' }, name: 'my email' });
 */
export async function protectData(client: ConfidantClient, parameters: ProtectDataParameters): Promise<ProtectDataReturnType> {
  const { wallet, address: owner, sign } = signerOf(client, 'protecting data');
  const dataProtector = client.dataProtector;
  if (dataProtector === undefined) throw new MissingServiceConfigError(['dataProtector'], client.poco.network.name);
  const name = parameters.name ?? '';
  if (typeof name !== 'string' || name.length > 256)
    throw new InvalidArgumentError(
      'name',
      'must be a string of at most 256 characters',
      'Give a short public name; it is stored on chain.',
    );
  const status = (title: ProtectDataStep, isDone: boolean, payload?: Record<string, string>) =>
    parameters.onStatusUpdate?.({ title, isDone, ...(payload ? { payload } : {}) });

  status('EXTRACT_DATA_SCHEMA', false);
  const schema = await extractDataSchema(parameters.data);
  status('EXTRACT_DATA_SCHEMA', true, { schema: JSON.stringify(schema) });

  status('CREATE_ZIP_FILE', false);
  const archive = await prepareArchive(parameters.data, { crypto: client.crypto, onProgress: parameters.onProgress });
  status('CREATE_ZIP_FILE', true, { size: String(archive.size) });

  status('CREATE_ENCRYPTION_KEY', false);
  const key = toBase64(client.crypto.randomBytes(32));
  // The key is never part of a status: statuses end up in logs and screens.
  status('CREATE_ENCRYPTION_KEY', true);

  // Encryption and upload are one stream: the ciphertext is never held whole.
  status('ENCRYPT_FILE', false);
  status('UPLOAD_ENCRYPTED_FILE', false);
  let encrypted = 0;
  const encryptedStream = encryptStream(archive.chunks(), {
    key,
    crypto: client.crypto,
    onBytes: (bytes) => {
      encrypted += bytes;
      parameters.onProgress?.({ phase: 'encrypt', bytes: encrypted, total: archive.size });
    },
  });
  const cid = await client.storage.upload(encryptedStream.chunks, archive.size);
  const checksum = await encryptedStream.checksum;
  status('ENCRYPT_FILE', true, { checksum });
  const multiaddr = cidToMultiaddr(cid);
  status('UPLOAD_ENCRYPTED_FILE', true, { cid, multiaddr });

  status('DEPLOY_PROTECTED_DATA', false);
  const deployed = await createDatasetWithSchema(wallet, { dataProtector, name, schema: JSON.stringify(schema), multiaddr, checksum });
  status('DEPLOY_PROTECTED_DATA', true, { address: deployed.address, transactionHash: deployed.hash });

  status('PUSH_SECRET_TO_SMS', false);
  try {
    await pushWithRetry(client, sign, deployed.address, key);
  } catch (error) {
    throw new ProtectDataIncompleteError(deployed.address, 'pushing its key to the SMS', error);
  }
  status('PUSH_SECRET_TO_SMS', true);

  const receipt = await wallet.publicClient.getTransactionReceipt({ hash: deployed.hash });
  const block = await wallet.publicClient.getBlock({ blockNumber: receipt.blockNumber });
  return {
    address: deployed.address,
    name,
    owner,
    schema,
    multiaddr,
    checksum,
    transactionHash: deployed.hash,
    createdAt: new Date(Number(block.timestamp) * 1000),
  };
}

/** The SMS may be briefly unreachable; a refusal (bad signer, already set) is final at once. */
async function pushWithRetry(
  client: ConfidantClient,
  sign: (challenge: Hex) => Promise<Hex>,
  dataset: Address,
  key: string,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.sms.pushDatasetKey(sign, dataset, key);
      return;
    } catch (error) {
      const transient = error instanceof SmsError && (error.status === undefined || error.status >= 500 || error.status === 429);
      if (!transient || attempt === 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}
