import type { Hex } from 'viem';
import { z } from 'zod';
import { requesterSecretKeySchema } from '../inputs.js';
import { InvalidDealParamsError } from './errors.js';

/** What a deal's request params ask of the SMS. */
export type DealSecretParams = {
  /** Index ("1", "2", …) → the requester secret key to release under IEXEC_REQUESTER_SECRET_<index>. */
  requesterSecrets: Record<string, string>;
  /** Whether the result must be encrypted for the beneficiary (`iexec_result_encryption`). */
  resultEncryption: boolean;
};

const secretsSchema = z.record(z.string().regex(/^[1-9][0-9]{0,3}$/), requesterSecretKeySchema);
// iExec's SDK writes a boolean; a string "true" is read the same way.
const encryptionSchema = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

/**
 * Reads `iexec_secrets` and `iexec_result_encryption` out of a deal's params. Params that are not a
 * JSON object ask for nothing; an `iexec_secrets` of the wrong shape is refused.
 *
 * @example
 * readDealSecretParams(dealId, '{"iexec_secrets":{"1":"token"},"iexec_result_encryption":true}');
 * // { requesterSecrets: { '1': 'token' }, resultEncryption: true }
 */
export function readDealSecretParams(dealId: Hex, params: string): DealSecretParams {
  let json: unknown;
  try {
    json = params.trim() === '' ? {} : JSON.parse(params);
  } catch {
    json = {};
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) json = {};
  const { iexec_secrets: secrets, iexec_result_encryption: encryption } = json as Record<string, unknown>;
  const parsedSecrets = secrets === undefined || secrets === null ? { success: true as const, data: {} } : secretsSchema.safeParse(secrets);
  if (!parsedSecrets.success) throw new InvalidDealParamsError(dealId, 'iexec_secrets is not an object of index → requester secret key');
  const parsedEncryption =
    encryption === undefined || encryption === null ? { success: true as const, data: false } : encryptionSchema.safeParse(encryption);
  if (!parsedEncryption.success) throw new InvalidDealParamsError(dealId, 'iexec_result_encryption is neither true nor false');
  return { requesterSecrets: parsedSecrets.data, resultEncryption: parsedEncryption.data };
}
