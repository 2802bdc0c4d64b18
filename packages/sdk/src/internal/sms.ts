import { web3SecretChallenge } from '@confidant/contracts';
import type { BaseErrorKind } from '@confidant/errors';
import type { Address, Hex } from 'viem';
import { SmsError } from '../errors.js';

/** The SMS's push side: secrets go in, signed by whoever may set them; nothing comes back out. */
export type SmsClient = {
  /** Stores a dataset's key; the signer must be the dataset's on-chain owner. */
  pushDatasetKey(sign: (challenge: Hex) => Promise<Hex>, dataset: Address, keyBase64: string): Promise<void>;
  hasDatasetKey(dataset: Address): Promise<boolean>;
};

const KINDS: Record<number, BaseErrorKind> = { 400: 'invalid-input', 401: 'forbidden', 404: 'not-found', 409: 'conflict', 413: 'invalid-input' };

async function refusal(response: Response, action: string): Promise<SmsError> {
  let message = `the SMS refused ${action} (HTTP ${response.status})`;
  let hints: string[] | undefined;
  try {
    const body = (await response.json()) as { error?: { message?: unknown; hints?: unknown } };
    if (typeof body.error?.message === 'string') message = `the SMS refused ${action}: ${body.error.message}`;
    if (Array.isArray(body.error?.hints)) hints = body.error.hints.filter((hint): hint is string => typeof hint === 'string');
  } catch {
    // A body that is not JSON says nothing more than the status.
  }
  return new SmsError(message, { status: response.status, hints, kind: KINDS[response.status] ?? 'unavailable' });
}

export function createSmsClient(url: string, fetchImpl: typeof fetch = globalThis.fetch): SmsClient {
  const base = url.replace(/\/+$/, '');
  async function send(path: string, init: RequestInit, action: string): Promise<Response> {
    try {
      return await fetchImpl(`${base}${path}`, init);
    } catch (error) {
      throw new SmsError(`the SMS at ${base} could not be reached while ${action}`, { cause: error });
    }
  }
  return {
    async pushDatasetKey(sign, dataset, keyBase64) {
      const authorization = await sign(web3SecretChallenge({ secretAddress: dataset, value: keyBase64 }));
      const action = `the key of ${dataset}`;
      const response = await send(`/secrets/web3?secretAddress=${dataset}`, { method: 'POST', headers: { authorization, 'content-type': 'text/plain' }, body: keyBase64 }, 'pushing a key');
      if (response.status !== 204 && response.status !== 200) throw await refusal(response, action);
    },
    async hasDatasetKey(dataset) {
      const response = await send(`/secrets/web3?secretAddress=${dataset}`, { method: 'HEAD' }, 'checking a key');
      if (response.status === 204 || response.status === 200) return true;
      if (response.status === 404) return false;
      throw await refusal(response, `checking the key of ${dataset}`);
    },
  };
}
