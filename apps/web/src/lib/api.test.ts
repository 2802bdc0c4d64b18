import { describe, expect, it } from 'vitest';
import { catalogueQuery } from './api';
import { webEnv } from './env';
import { codeLocation, formatPrice, parseFingerprint } from './format';

describe('the catalogue query from the URL', () => {
  it('keeps what the API accepts and drops anything else, without failing', () => {
    expect(catalogueQuery({})).toEqual({
      q: undefined,
      category: undefined,
      teeFramework: undefined,
      sort: 'newest',
      maxPrice: undefined,
      data: undefined,
      limit: 24,
      cursor: undefined,
    });
    const data = `0x${'ab'.repeat(20)}`;
    expect(catalogueQuery({ q: ' email ', tee: 'tdx', sort: 'priceAsc', maxPrice: '500', page: '3', category: 'text', data })).toEqual({
      q: 'email',
      category: 'text',
      teeFramework: 'tdx',
      sort: 'priceAsc',
      maxPrice: '500',
      data,
      limit: 24,
      cursor: 48,
    });
    expect(catalogueQuery({ data: '0x12' }).data).toBeUndefined();
    expect(catalogueQuery({ q: 'x' }).sort).toBe('relevance');
    expect(catalogueQuery({ tee: 'sgx', sort: 'DROP TABLE', maxPrice: '-1', page: 'NaN' })).toMatchObject({
      teeFramework: undefined,
      sort: 'newest',
      maxPrice: undefined,
      cursor: undefined,
    });
    expect(catalogueQuery({ page: '99999' }).cursor).toBeUndefined();
    expect(catalogueQuery({ q: ['a', 'b'] }).q).toBe('a');
    expect(catalogueQuery({ q: 'y'.repeat(500) }).q).toHaveLength(200);
  });

  it('treats every network but a declared one as simulated', () => {
    expect(webEnv({})).toMatchObject({ apiUrl: 'http://127.0.0.1:4000/trpc', network: 'local', simulated: true });
    expect(webEnv({ CONFIDANT_NETWORK: 'arbitrum-mainnet', CONFIDANT_API_URL: 'https://api.example/trpc' })).toMatchObject({
      apiUrl: 'https://api.example/trpc',
      network: 'arbitrum-mainnet',
      simulated: false,
    });
    expect(webEnv({ CONFIDANT_NETWORK: 'staging', CONFIDANT_SIMULATED: '1' }).simulated).toBe(true);
  });

  it('takes the endpoints browsers use from one JSON variable, and says what is wrong with it', () => {
    const endpoints = {
      chainId: 31337,
      rpcUrl: 'http://127.0.0.1:8545',
      addresses: { poco: `0x${'1'.repeat(40)}` },
      smsUrl: 'http://127.0.0.1:13300',
      ipfsApiUrl: 'http://127.0.0.1:5001',
      ipfsGatewayUrl: 'http://127.0.0.1:5001',
    };
    expect(webEnv({ CONFIDANT_NETWORK_ENDPOINTS: JSON.stringify(endpoints) })).toMatchObject({ endpoints, endpointsProblem: undefined });
    expect(webEnv({})).toMatchObject({ endpoints: undefined, endpointsProblem: 'CONFIDANT_NETWORK_ENDPOINTS is not set' });
    expect(webEnv({ CONFIDANT_NETWORK_ENDPOINTS: '{' }).endpointsProblem).toBe('CONFIDANT_NETWORK_ENDPOINTS is not JSON');
    expect(webEnv({ CONFIDANT_NETWORK_ENDPOINTS: JSON.stringify({ ...endpoints, smsUrl: 'not a url' }) }).endpointsProblem).toBe(
      'CONFIDANT_NETWORK_ENDPOINTS is invalid at smsUrl',
    );
    expect(webEnv({ CONFIDANT_NETWORK_ENDPOINTS: JSON.stringify({ ...endpoints, addresses: { poco: '0x12' } }) }).endpointsProblem).toBe(
      'CONFIDANT_NETWORK_ENDPOINTS is invalid at addresses.poco',
    );
  });
});

describe('formatting', () => {
  it('shows prices in RLC', () => {
    expect(formatPrice(0n)).toBe('Free');
    expect(formatPrice(null)).toBe('Free');
    expect(formatPrice(5n)).toBe('0.000000005 RLC');
    expect(formatPrice(12_500_000_000n)).toBe('12.5 RLC');
    expect(formatPrice(2n ** 70n)).toBe('1,180,591,620,717.411303424 RLC');
  });

  it('reads the TEE fingerprint and the code location', () => {
    expect(parseFingerprint('{"framework":"TDX","version":"v1","entrypoint":"node /app/app.js","fingerprint":"ab"}')).toEqual({
      framework: 'TDX',
      version: 'v1',
      entrypoint: 'node /app/app.js',
      fingerprint: 'ab',
    });
    expect(parseFingerprint('not json')).toBeUndefined();
    expect(parseFingerprint('[1]')).toBeUndefined();
    expect(codeLocation(`0x${Buffer.from('docker.io/alice/hello:1.0.0').toString('hex')}`)).toBe('docker.io/alice/hello:1.0.0');
    expect(codeLocation('0xa503221220180ba450c23ccd0d39dbdd929d6e7915550d4e1c4237794b550f95daf8294af4')).toMatch(
      /^\/ipfs\/Qm[1-9A-HJ-NP-Za-km-z]{44}$/,
    );
    expect(codeLocation('0x00ff')).toBe('0x00ff');
  });
});
