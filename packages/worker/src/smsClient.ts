import type { Quote, SealedBox } from '@confidant/enclave';
import type { Address, Hex } from 'viem';
import { z } from 'zod';
import { SmsRequestError } from './errors.js';

export type SmsSessionRequest = {
  taskId: Hex;
  workerAddress: Address;
  enclaveChallenge: Address;
  /** The workerpool owner's signWorkerAuthorization for (worker, task, enclave). */
  authorization: Hex;
  quote: Quote;
};

export type SmsClient = {
  /** A fresh nonce for the task, to bind into the enclave's quote. */
  requestChallenge(taskId: Hex): Promise<Hex>;
  /** The task's secrets, sealed to the enclave the quote describes. */
  requestSession(request: SmsSessionRequest): Promise<SealedBox>;
};

const hex = z.string().regex(/^0x([0-9a-fA-F]{2})*$/) as unknown as z.ZodType<Hex>;
const challengeSchema = z.object({ nonce: hex });
const sessionSchema = z.object({ sealed: z.object({ ephemeralPublicKey: hex, nonce: hex, ciphertext: hex }) });
const refusalSchema = z.object({ error: z.object({ name: z.string(), message: z.string(), hints: z.array(z.string()).optional() }) });

/**
 * The SMS's release side as the worker calls it: `POST /tee/challenges/{taskId}`, then
 * `POST /tee/sessions` with the quote and the workerpool's authorization.
 *
 * @example
 * const sms = createSmsClient('http://127.0.0.1:13300');
 * const nonce = await sms.requestChallenge(taskId);
 */
export function createSmsClient(smsUrl: string, fetchImpl: typeof fetch = fetch): SmsClient {
  const base = smsUrl.replace(/\/+$/, '');
  async function post<schema extends z.ZodType>(what: string, path: string, body: unknown, schema: schema): Promise<z.infer<schema>> {
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (cause) {
      throw new SmsRequestError(what, `the SMS at ${base} could not be reached`, { cause });
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const refusal = refusalSchema.safeParse(json);
      throw new SmsRequestError(
        what,
        refusal.success ? `${refusal.data.error.name}: ${refusal.data.error.message}` : `HTTP ${response.status}`,
        {
          status: response.status,
          hints: refusal.success ? refusal.data.error.hints : undefined,
        },
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new SmsRequestError(what, 'its answer has an unexpected shape', { status: response.status });
    return parsed.data;
  }
  return {
    async requestChallenge(taskId) {
      return (await post('a challenge', `/tee/challenges/${taskId}`, {}, challengeSchema)).nonce;
    },
    async requestSession(request) {
      return (await post('a session', '/tee/sessions', request, sessionSchema)).sealed;
    },
  };
}
