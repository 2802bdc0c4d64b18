import { describe, expect, it } from 'vitest';
import { readDealSecretParams } from './dealParams.js';
import { InvalidDealParamsError } from './errors.js';

const dealId = `0x${'ab'.repeat(32)}` as const;

describe('readDealSecretParams', () => {
  it('reads iexec_secrets and iexec_result_encryption (boolean or "true")', () => {
    expect(readDealSecretParams(dealId, '{"iexec_secrets":{"1":"token","2":"api-key"},"iexec_result_encryption":true}')).toEqual({
      requesterSecrets: { '1': 'token', '2': 'api-key' },
      resultEncryption: true,
    });
    expect(readDealSecretParams(dealId, '{"iexec_result_encryption":"true"}')).toEqual({ requesterSecrets: {}, resultEncryption: true });
  });

  it('asks for nothing when the params are empty, not JSON, or not an object', () => {
    for (const params of ['', 'hello world', '[1,2]', 'null', '{"iexec_args":"a b"}']) {
      expect(readDealSecretParams(dealId, params)).toEqual({ requesterSecrets: {}, resultEncryption: false });
    }
  });

  it('refuses iexec_secrets or iexec_result_encryption of the wrong shape', () => {
    expect(() => readDealSecretParams(dealId, '{"iexec_secrets":["token"]}')).toThrow(InvalidDealParamsError);
    expect(() => readDealSecretParams(dealId, '{"iexec_secrets":{"0":"token"}}')).toThrow(/iexec_secrets/);
    expect(() => readDealSecretParams(dealId, '{"iexec_secrets":{"1":"bad key!"}}')).toThrow(/iexec_secrets/);
    expect(() => readDealSecretParams(dealId, '{"iexec_result_encryption":"yes"}')).toThrow(/iexec_result_encryption/);
  });
});
