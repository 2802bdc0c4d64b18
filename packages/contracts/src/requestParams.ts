/** What a request order asks of the task, before it becomes the order's `params` text. */
export type RequestParams = {
  /** The app's arguments (`iexec_args`). */
  args?: string | undefined;
  /** http(s) URLs the enclave downloads into IEXEC_INPUT_FILES_FOLDER (`iexec_input_files`). */
  inputFiles?: readonly string[] | undefined;
  /** Requester secrets by index, as named in the SMS (`iexec_secrets`, e.g. `{ 1: 'api-token' }`). */
  secrets?: Readonly<Record<string, string>> | undefined;
  /** Encrypt the result for the beneficiary (`iexec_result_encryption`); default true. */
  resultEncryption?: boolean | undefined;
  /** Where the result goes (`iexec_result_storage_provider`); iExec 9 stores results on IPFS. */
  resultStorageProvider?: 'ipfs' | undefined;
  /** The CID of a bulk request's list of slices (`bulk_cid`). */
  bulkCid?: string | undefined;
};

/**
 * A request order's `params` as iExec 9 writes them for a TEE task: the same keys, in the same
 * order (`iexec_secrets`, `iexec_result_storage_provider`, `iexec_result_encryption`, `bulk_cid`,
 * `iexec_input_files`, `iexec_args`), empty ones left out. The text is part of the order's EIP-712
 * hash, so an order Confidant signs reads to iExec's tools exactly as one of their own.
 *
 * @example
 * requestParams({ args: 'Alice', resultEncryption: true });
 * // '{"iexec_result_storage_provider":"ipfs","iexec_result_encryption":true,"iexec_args":"Alice"}'
 */
export function requestParams(parameters: RequestParams): string {
  const secrets = parameters.secrets && Object.keys(parameters.secrets).length > 0 ? parameters.secrets : undefined;
  const inputFiles = parameters.inputFiles && parameters.inputFiles.length > 0 ? parameters.inputFiles : undefined;
  return JSON.stringify({
    iexec_secrets: secrets,
    iexec_result_storage_provider: parameters.resultStorageProvider ?? 'ipfs',
    iexec_result_encryption: parameters.resultEncryption ?? true,
    bulk_cid: parameters.bulkCid,
    iexec_input_files: inputFiles,
    iexec_args: parameters.args || undefined,
  });
}
