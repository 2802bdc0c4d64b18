import { keccak256 } from 'viem';
import { describe, expect, it } from 'vitest';
import { appSecretChallenge, requesterSecretChallenge, SMS_DOMAIN, web2SecretChallenge, web3SecretChallenge } from './smsChallenges.js';

const dataset = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const utf8Hash = (text: string) => Buffer.from(keccak256(Buffer.from(text, 'utf8')).slice(2), 'hex');
const address = (value: string) => Buffer.from(value.slice(2), 'hex');
// iExec's concatenateAndHash: the raw bytes of each part, one after the other, hashed once.
const concatenateAndHash = (...parts: Buffer[]) => keccak256(Buffer.concat(parts));

describe('challenges', () => {
  it('composes parts as iExec does (vectors from iexec-sms AuthorizationServiceTests)', () => {
    // Those tests pass non-addresses ("0x123" is the bytes 01 23, "" none), which our builders refuse,
    // so the vectors check the composition that the builders are compared with below.
    expect(concatenateAndHash(utf8Hash(SMS_DOMAIN), Buffer.from('0123', 'hex'), utf8Hash('ghijk'))).toBe(
      '0x8d0b92aaf96f66f172d7615b81f257ebdece2278b7da6c60127cad45852eaaf6',
    );
    expect(concatenateAndHash(utf8Hash(SMS_DOMAIN), Buffer.alloc(0), utf8Hash('0'), utf8Hash(''))).toBe(
      '0x31991eefc2731228bdd25dbc5a242722eda3869f9b06536dbd96a774e5228509',
    );
  });

  it('web3: keccak256(keccak256(DOMAIN) ‖ dataset ‖ keccak256(value)), whatever the address case', () => {
    const expected = concatenateAndHash(utf8Hash(SMS_DOMAIN), address(dataset), utf8Hash('a2V5'));
    expect(web3SecretChallenge({ secretAddress: dataset, value: 'a2V5' })).toBe(expected);
    expect(web3SecretChallenge({ secretAddress: dataset.toLowerCase() as `0x${string}`, value: 'a2V5' })).toBe(expected);
    expect(expected).toMatchInlineSnapshot(`"0x7d96e1e592d93ebd1a696279240c2a87d9c2695f978bc9f4b54cc5a0bc8a6e9c"`);
  });

  it('web2, requester and app challenges hash the name between the address and the value', () => {
    const owner = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
    const value = 'é secret ✓';
    const withName = (name: string) => concatenateAndHash(utf8Hash(SMS_DOMAIN), address(owner), utf8Hash(name), utf8Hash(value));
    expect(web2SecretChallenge({ ownerAddress: owner, secretName: 'Token', value })).toBe(withName('Token'));
    expect(requesterSecretChallenge({ requesterAddress: owner, secretKey: 'api-key', value })).toBe(withName('api-key'));
    // iExec keeps one developer secret per app, at index "1".
    expect(appSecretChallenge({ appAddress: owner, value })).toBe(withName('1'));
    expect(web2SecretChallenge({ ownerAddress: owner, secretName: 'token', value })).not.toBe(withName('Token'));
  });

  it('refuses something that is not an address', () => {
    expect(() => web3SecretChallenge({ secretAddress: '0x1234', value: 'x' })).toThrowErrorMatchingInlineSnapshot(`
      [InvalidAddressError: "0x1234" is not an address

      → Pass a 0x-prefixed 20-byte hex address.]
    `);
  });
});
