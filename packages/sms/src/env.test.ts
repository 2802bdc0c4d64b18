import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSmsEnv } from './env.js';
import { InvalidMasterKeyError, InvalidSmsConfigError } from './errors.js';

const masterKey = randomBytes(32);

describe('readSmsEnv', () => {
  it('has defaults for everything but the master key', () => {
    const env = readSmsEnv({ SMS_MASTER_KEY: masterKey.toString('base64') });
    expect({ ...env, masterKey: Buffer.from(env.masterKey).equals(masterKey) }).toEqual({
      host: '127.0.0.1',
      port: 13300,
      masterKey: true,
      databaseUrl: undefined,
      dataDir: resolve(join('.data', 'sms-db')),
      rpcUrl: 'http://127.0.0.1:8545',
      network: 'local',
      pocoAddresses: undefined,
      rateLimit: { requests: 30, windowMs: 10_000 },
      trustedSimulationRoots: [],
      apiUrl: undefined,
    });
  });

  it('reads the trusted simulation roots (comma-separated) and the API URL; refuses a root that is no address', () => {
    const [a, b] = [`0x${'ab'.repeat(20)}`, `0x${'CD'.repeat(20)}`];
    const env = readSmsEnv({
      SMS_MASTER_KEY: masterKey.toString('base64'),
      SMS_TRUSTED_SIMULATION_ROOTS: ` ${a}, ${b},`,
      SMS_API_URL: 'http://127.0.0.1:4000/trpc',
    });
    expect(env.trustedSimulationRoots).toEqual([a, b]);
    expect(env.apiUrl).toBe('http://127.0.0.1:4000/trpc');
    expect(() => readSmsEnv({ SMS_MASTER_KEY: masterKey.toString('base64'), SMS_TRUSTED_SIMULATION_ROOTS: `${a},0x1234` })).toThrow(
      InvalidSmsConfigError,
    );
    expect(() => readSmsEnv({ SMS_MASTER_KEY: masterKey.toString('base64'), SMS_API_URL: 'not a url' })).toThrow(/SMS_API_URL/);
  });

  it('reads the database, the addresses and the rate limit; SMS_DATABASE_URL wins over DATABASE_URL', () => {
    const address = `0x${'ab'.repeat(20)}`;
    const addresses = { poco: address, rlc: address, appRegistry: address, datasetRegistry: address, workerpoolRegistry: address };
    const env = readSmsEnv({
      SMS_MASTER_KEY: masterKey.toString('hex'),
      DATABASE_URL: 'postgres://a@127.0.0.1/shared',
      SMS_DATABASE_URL: 'postgres://a@127.0.0.1/sms',
      POCO_ADDRESSES: JSON.stringify(addresses),
      SMS_RATE_LIMIT_REQUESTS: '0',
      SMS_PORT: '0',
    });
    expect(env.databaseUrl).toBe('postgres://a@127.0.0.1/sms');
    expect(env.pocoAddresses).toEqual(addresses);
    expect(env.rateLimit).toBe(false);
    expect(env.port).toBe(0);
  });

  it('refuses to start without a 32-byte master key', () => {
    expect(() => readSmsEnv({})).toThrow(InvalidMasterKeyError);
    expect(() => readSmsEnv({ SMS_MASTER_KEY: '' })).toThrow('the SMS master key is missing');
    expect(() => readSmsEnv({ SMS_MASTER_KEY: randomBytes(16).toString('base64') })).toThrow('is 16 bytes of base64, not 32');
  });

  it('names the variable that is wrong', () => {
    expect(() => readSmsEnv({ SMS_MASTER_KEY: masterKey.toString('hex'), SMS_PORT: 'eighty' })).toThrow(InvalidSmsConfigError);
    expect(() => readSmsEnv({ SMS_MASTER_KEY: masterKey.toString('hex'), POCO_ADDRESSES: '{' })).toThrow(
      'POCO_ADDRESSES is not a JSON object',
    );
  });
});
