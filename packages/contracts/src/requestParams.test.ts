import { describe, expect, it } from 'vitest';
import { requestParams } from './requestParams.js';

describe('requestParams', () => {
  it("writes iExec 9's keys in iExec 9's order, leaving empty ones out", () => {
    expect(requestParams({})).toBe('{"iexec_result_storage_provider":"ipfs","iexec_result_encryption":true}');
    expect(
      requestParams({
        args: 'Ada "Lovelace"',
        inputFiles: ['https://example.com/a.csv'],
        secrets: { 1: 'run-1' },
        resultEncryption: true,
        bulkCid: 'QmRoot',
      }),
    ).toBe(
      '{"iexec_secrets":{"1":"run-1"},"iexec_result_storage_provider":"ipfs","iexec_result_encryption":true,"bulk_cid":"QmRoot","iexec_input_files":["https://example.com/a.csv"],"iexec_args":"Ada \\"Lovelace\\""}',
    );
    expect(requestParams({ args: '', inputFiles: [], secrets: {}, resultEncryption: false })).toBe(
      '{"iexec_result_storage_provider":"ipfs","iexec_result_encryption":false}',
    );
  });
});
