import { describe, expect, it } from 'vitest';
import { readWorkerEnv } from './env.js';

const key = (byte: string) => `0x${byte.repeat(32)}`;
const required = { WORKER_WORKERPOOL: `0x${'ab'.repeat(20)}`, WORKER_WORKERPOOL_OWNER_KEY: key('01'), WORKER_KEY: key('02') };

describe('readWorkerEnv', () => {
  it('reads the settings with their defaults', () => {
    const env = readWorkerEnv({ ...required, CONFIDANT_DATA_DIR: '/tmp/data', WORKER_ORDER_PRICE: '5', WORKER_CONCURRENCY: '8' });
    expect(env).toMatchObject({
      port: 13_400,
      workerpool: required.WORKER_WORKERPOOL,
      apiUrl: undefined,
      smsUrl: 'http://127.0.0.1:13300',
      concurrency: 8,
      confirmations: 0,
      offer: { price: 5n, volume: 100n, category: 0n },
      dataDir: '/tmp/data/worker',
      network: 'local',
    });
  });

  it('names a missing key without printing any value', () => {
    expect(() => readWorkerEnv({ ...required, WORKER_KEY: '' })).toThrowErrorMatchingInlineSnapshot(`
      [InvalidWorkerConfigError: WORKER_KEY is not set

      → Set WORKER_KEY: the worker needs its workerpool, the workerpool owner's key and its own key.]
    `);
    const error = (() => {
      try {
        readWorkerEnv({ ...required, WORKER_KEY: '0xsecretish' });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toContain('WORKER_KEY: must be a 0x-prefixed 32-byte hex key');
    expect(error?.message).not.toContain('secretish');
  });
});
