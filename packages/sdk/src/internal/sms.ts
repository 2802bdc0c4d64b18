import { requesterSecretChallenge, web2SecretChallenge, web3SecretChallenge } from '@confidant/contracts';
import type { BaseErrorKind } from '@confidant/errors';
import type { Address, Hex } from 'viem';
import { SmsError } from '../errors.js';

/** The SMS's push side: secrets go in, signed by whoever may set them; nothing comes back out. */
export type SmsClient = {
  /** Stores a dataset's key; the signer must be the dataset's on-chain owner. */
  pushDatasetKey(sign: (challenge: Hex) => Promise<Hex>, dataset: Address, keyBase64: string): Promise<void>;
  hasDatasetKey(dataset: Address): Promise<boolean>;
  /** Stores a requester secret under a key (immutable: a key is set once). */
  pushRequesterSecret(sign: (challenge: Hex) => Promise<Hex>, requester: Address, key: string, value: string): Promise<void>;
  /** Creates or replaces one of the owner's web2 secrets (e.g. the result-encryption public key). */
  setWeb2Secret(sign: (challenge: Hex) => Promise<Hex>, owner: Address, name: string, value: string): Promise<void>;
};

const KINDS: Record<number, BaseErrorKind> = {
  400: 'invalid-input',
  401: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'invalid-input',
};

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
      const response = await send(
        `/secrets/web3?secretAddress=${dataset}`,
        { method: 'POST', headers: { authorization, 'content-type': 'text/plain' }, body: keyBase64 },
        'pushing a key',
      );
      if (response.status !== 204 && response.status !== 200) throw await refusal(response, action);
    },
    async pushRequesterSecret(sign, requester, key, value) {
      const authorization = await sign(requesterSecretChallenge({ requesterAddress: requester, secretKey: key, value }));
      const response = await send(
        `/requesters/${requester}/secrets/${encodeURIComponent(key)}`,
        { method: 'POST', headers: { authorization, 'content-type': 'text/plain' }, body: value },
        'pushing a requester secret',
      );
      if (response.status !== 204 && response.status !== 200) throw await refusal(response, `the requester secret "${key}"`);
    },
    async setWeb2Secret(sign, owner, name, value) {
      const authorization = await sign(web2SecretChallenge({ ownerAddress: owner, secretName: name, value }));
      const path = `/secrets/web2?ownerAddress=${owner}&secretName=${encodeURIComponent(name)}`;
      const init = (method: string): RequestInit => ({ method, headers: { authorization, 'content-type': 'text/plain' }, body: value });
      let response = await send(path, init('POST'), 'storing a secret');
      // Already set: replace it (web2 secrets, unlike keys of protected data, may change).
      if (response.status === 409) response = await send(path, init('PUT'), 'storing a secret');
      if (response.status !== 204 && response.status !== 200) throw await refusal(response, `the secret "${name}"`);
    },
    async hasDatasetKey(dataset) {
      const response = await send(`/secrets/web3?secretAddress=${dataset}`, { method: 'HEAD' }, 'checking a key');
      if (response.status === 204 || response.status === 200) return true;
      if (response.status === 404) return false;
      throw await refusal(response, `checking the key of ${dataset}`);
    },
  };
}
