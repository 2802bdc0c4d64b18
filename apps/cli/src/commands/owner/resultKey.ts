import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfidantClient, ResultKeyPair } from '@confidant/sdk';
import { paths } from '../../home.js';
import { CliError } from '../../output.js';

/**
 * The RSA key pair results are encrypted for, one per account, kept in <home>/result-keys (readable
 * by this user only) so that `confidant task result` can decrypt a result after `run --no-wait`.
 */
export async function useStoredResultKey(client: ConfidantClient, account: string, options: { create: boolean }): Promise<void> {
  const { generateResultKeyPair, useResultKeyPair } = await import('@confidant/sdk');
  const dir = join(paths().home, 'result-keys');
  const file = join(dir, `${account.toLowerCase()}.json`);
  let pair: ResultKeyPair;
  if (existsSync(file)) {
    try {
      pair = JSON.parse(readFileSync(file, 'utf8')) as ResultKeyPair;
    } catch {
      throw new CliError(
        `${file} is not a result key`,
        `Delete it and run the task again (results encrypted for it cannot be read without it).`,
      );
    }
  } else {
    if (!options.create)
      throw new CliError(
        `no result key for ${account} on this machine`,
        'Results can only be decrypted on the machine (and CONFIDANT_HOME) that ran `confidant run`.',
      );
    pair = await generateResultKeyPair();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(pair), { mode: 0o600 });
  }
  useResultKeyPair(client, pair);
}
