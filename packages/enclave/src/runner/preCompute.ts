import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decryptStream } from '@confidant/protected-data';
import { nodeCrypto } from '@confidant/protected-data/node';
import type { Address, Hex } from 'viem';
import { TaskInputError } from '../errors.js';
import { downloadToFile, resolveLocation, type StorageOptions } from './storage.js';

/** A protected data of the deal, as the chain describes it. */
export type DatasetInput = {
  address: Address;
  /** The on-chain multiaddr (hex), an `/ipfs/<cid>` path or an http(s) URL. */
  location: string;
  /** `0x` + sha256 of the encrypted file, as registered. */
  checksum: Hex;
};

type FetchContext = {
  inDir: string;
  scratchDir: string;
  storage: StorageOptions;
  fetch?: typeof fetch | undefined;
  maxBytes?: number | undefined;
};

/**
 * Downloads a protected data, refuses it unless its sha256 is the on-chain checksum, and decrypts
 * it (streaming) to `$IEXEC_IN/<address>`. Returns that file name. Nothing decrypted is left behind
 * on failure.
 *
 * @example
 * const filename = await fetchDataset(dataset, secrets.datasetKey, { inDir, scratchDir, storage });
 */
export async function fetchDataset(dataset: DatasetInput, key: string, context: FetchContext): Promise<string> {
  const url = resolveLocation(dataset.location, context.storage.gatewayUrl);
  const encrypted = join(context.scratchDir, `${dataset.address}.enc`);
  try {
    const { sha256 } = await downloadToFile(url, encrypted, {
      what: `the protected data ${dataset.address}`,
      fetch: context.fetch,
      maxBytes: context.maxBytes,
    });
    if (sha256.toLowerCase() !== dataset.checksum.toLowerCase()) {
      throw new TaskInputError(
        `the protected data ${dataset.address} does not match its on-chain checksum: expected ${dataset.checksum}, downloaded ${sha256}`,
        'The stored file was changed or replaced; its owner must protect the data again.',
      );
    }
    const filename = dataset.address;
    const plain = join(context.inDir, filename);
    try {
      await pipeline(
        Readable.from(decryptStream(createReadStream(encrypted), { key, crypto: nodeCrypto })),
        createWriteStream(plain, { mode: 0o600, flags: 'wx' }),
      );
    } catch (cause) {
      await rm(plain, { force: true });
      throw new TaskInputError(
        `the protected data ${dataset.address} cannot be decrypted with the key the SMS released`,
        'The key in the SMS is not the one that encrypted this data; its owner must push the right key.',
        cause,
      );
    }
    return filename;
  } finally {
    await rm(encrypted, { force: true });
  }
}

/**
 * The file name pre-compute gives an input file: `0x` + sha256 of its URL (as iExec's pre-compute).
 *
 * @example
 * inputFileName('https://example.com/a.csv'); // '0x…'
 */
export function inputFileName(url: string): string {
  return `0x${createHash('sha256').update(url).digest('hex')}`;
}

/**
 * Downloads the request's input files to `$IEXEC_IN/<0x + sha256(url)>`, in order.
 *
 * @example
 * const names = await fetchInputFiles(['https://example.com/a.csv'], { inDir, scratchDir, storage });
 */
export async function fetchInputFiles(urls: readonly string[], context: FetchContext): Promise<string[]> {
  const names: string[] = [];
  for (const [i, url] of urls.entries()) {
    const name = inputFileName(url);
    if (names.includes(name)) throw new TaskInputError(`input file ${i + 1} repeats the URL ${url}`, 'Give each input file once.');
    await downloadToFile(url, join(context.inDir, name), { what: `input file ${i + 1}`, fetch: context.fetch, maxBytes: context.maxBytes });
    names.push(name);
  }
  return names;
}
