import { BaseError as ViemBaseError, ContractFunctionExecutionError, ContractFunctionRevertedError, encodeErrorResult } from 'viem';
import { describe, expect, it } from 'vitest';
import { iexecPocoAbi } from '../generated/abis.js';
import { bytesToText } from './text.js';
import { getRevertInfo } from './revert.js';

const wrap = (cause: ViemBaseError) =>
  new ContractFunctionExecutionError(cause, {
    abi: iexecPocoAbi,
    functionName: 'matchOrders',
    args: [],
    contractAddress: '0x0000000000000000000000000000000000000001',
  });

describe('getRevertInfo', () => {
  it('reads a require reason string', () => {
    const data = encodeErrorResult({
      abi: [{ type: 'error', name: 'Error', inputs: [{ name: 'message', type: 'string' }] }],
      errorName: 'Error',
      args: ['iExecV5-matchOrders-0x16'],
    });
    const error = wrap(new ContractFunctionRevertedError({ abi: iexecPocoAbi, data, functionName: 'matchOrders' }));
    expect(getRevertInfo(error)?.reason).toBe('iExecV5-matchOrders-0x16');
  });

  it('reads a custom error', () => {
    const data = encodeErrorResult({ abi: iexecPocoAbi, errorName: 'IncompatibleDatasetOrder', args: ['App restriction not satisfied'] });
    const info = getRevertInfo(wrap(new ContractFunctionRevertedError({ abi: iexecPocoAbi, data, functionName: 'matchOrders' })));
    expect(info).toMatchObject({ errorName: 'IncompatibleDatasetOrder', args: ['App restriction not satisfied'] });
  });

  it('treats a bare revert as a revert without reason, and other failures as no revert', () => {
    const bare = wrap(new ContractFunctionRevertedError({ abi: iexecPocoAbi, functionName: 'matchOrders', message: 'execution reverted' }));
    expect(getRevertInfo(bare)).toEqual({ reason: undefined, errorName: undefined, args: undefined });
    expect(getRevertInfo(new Error('fetch failed'))).toBeUndefined();
    expect(getRevertInfo(new ViemBaseError('HTTP request failed'))).toBeUndefined();
  });
});

describe('bytesToText', () => {
  it('decodes printable UTF-8 and leaves binary alone', () => {
    expect(bytesToText('0x68656c6c6f')).toBe('hello');
    expect(bytesToText('0xa50322122000')).toBeUndefined();
    expect(bytesToText('0x')).toBeUndefined();
  });
});
