import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDevnetEnv } from './env.js';
import { DevnetConfigError } from './errors.js';

describe('readDevnetEnv', () => {
  it("defaults to .data, chain port 8545, API port 4000, storage port 5001 (kubo's) SMS port 13300 (iExec's), worker port 13400 and registry port 13500", () => {
    expect(readDevnetEnv({})).toEqual({
      chainId: 31337,
      dataDir: resolve('.data'),
      chainPort: 8545,
      apiPort: 4000,
      storagePort: 5001,
      smsPort: 13300,
      workerPort: 13400,
      registryPort: 13500,
      webPort: 3000,
      databaseUrl: undefined,
    });
  });

  it('takes a data directory and a port, 0 for any free one', () => {
    expect(
      readDevnetEnv({
        CONFIDANT_DATA_DIR: '/tmp/x',
        CONFIDANT_CHAIN_PORT: '0',
        CONFIDANT_API_PORT: '0',
        CONFIDANT_STORAGE_PORT: '0',
        CONFIDANT_SMS_PORT: '0',
        CONFIDANT_WORKER_PORT: '0',
        CONFIDANT_REGISTRY_PORT: '0',
        CONFIDANT_WEB_PORT: '0',
      }),
    ).toEqual({
      chainId: 31337,
      dataDir: '/tmp/x',
      chainPort: 0,
      apiPort: 0,
      storagePort: 0,
      smsPort: 0,
      workerPort: 0,
      registryPort: 0,
      webPort: 0,
      databaseUrl: undefined,
    });
  });

  it('keeps a network under chain id 421614 in a data directory of its own, unless one is named', () => {
    expect(readDevnetEnv({ CONFIDANT_CHAIN_ID: '421614' })).toMatchObject({ chainId: 421614, dataDir: resolve('.data-421614') });
    expect(readDevnetEnv({ CONFIDANT_CHAIN_ID: '421614', CONFIDANT_DATA_DIR: '/tmp/y' })).toMatchObject({ dataDir: '/tmp/y' });
  });

  it('refuses a port that is not one, saying which setting is wrong', () => {
    expect(() => readDevnetEnv({ CONFIDANT_CHAIN_PORT: 'eighty' })).toThrow(DevnetConfigError);
    expect(() => readDevnetEnv({ CONFIDANT_CHAIN_PORT: '70000' })).toThrow(/CONFIDANT_CHAIN_PORT/);
  });
});
