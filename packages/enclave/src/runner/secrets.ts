import type { Hex } from 'viem';
import { addressSchema } from '@confidant/contracts/schemas';
import { z } from 'zod';
import type { EnclaveKeys } from '../attestation.js';
import { TaskSecretsError } from '../errors.js';
import { openSealedBox } from '../seal.js';

const base64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64')
  .refine((value) => value.length % 4 === 0, 'base64');
const address = addressSchema;

/**
 * What the SMS seals to the enclave for one task (the box is opened with the task id as context):
 * - `datasetKey`: the protected data's AES-256 key, base64 (when the task has a dataset);
 * - `bulkDatasetKeys`: keys of a bulk task's datasets, by dataset address;
 * - `requesterSecrets`: requester secrets by their index in the request's `iexec_secrets` ("1", "2"…);
 * - `appDeveloperSecret`: the app's developer secret;
 * - `resultEncryptionPublicKey`: base64 of the beneficiary's RSA public key (SPKI PEM) when the
 *   request asks for result encryption.
 */
export const taskSecretsSchema = z.object({
  datasetKey: base64.optional(),
  bulkDatasetKeys: z.record(address, base64).optional(),
  requesterSecrets: z.record(z.string().regex(/^[1-9][0-9]{0,3}$/), z.string()).default({}),
  appDeveloperSecret: z.string().optional(),
  resultEncryptionPublicKey: base64.optional(),
});

export type TaskSecrets = z.infer<typeof taskSecretsSchema>;

/**
 * Opens the sealed secrets inside the enclave and checks their shape. Messages never quote a value.
 *
 * @example
 * const secrets = openTaskSecrets(keys, box, taskId);
 */
export function openTaskSecrets(
  keys: Pick<EnclaveKeys, 'encryptionPublicKey' | 'encryptionPrivateKey'>,
  box: unknown,
  taskId: Hex,
): TaskSecrets {
  const bytes = openSealedBox(keys, box, taskId);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new TaskSecretsError('the sealed box does not hold JSON', 'Seal `JSON.stringify(secrets)` with the shape of taskSecretsSchema.');
  }
  const parsed = taskSecretsSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))].join(', ');
    throw new TaskSecretsError(
      `these fields are malformed: ${fields}`,
      'Seal secrets with the shape of taskSecretsSchema: base64 keys, string secrets indexed from 1.',
    );
  }
  return parsed.data;
}
