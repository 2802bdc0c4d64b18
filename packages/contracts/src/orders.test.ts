import { encodeAbiParameters, keccak256, recoverTypedDataAddress, stringToHex, zeroAddress, concat } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import type { PocoDomain } from './actions/getPocoDomain.js';
import { hashOrder } from './actions/hashOrder.js';
import { buildDatasetOrder, buildRequestOrder } from './buildOrder.js';
import { orderTypedData, unsigned } from './orders.js';
import { TDX_TAG } from './tags.js';

const domain: PocoDomain = {
  name: 'iExecODB',
  version: '5.0.0',
  chainId: 31337,
  verifyingContract: '0x3Aa5ebB10DC797CAC828524e59A333d0A371443c',
};
const dataset = '0x00000000000000000000000000000000000000d5';
const app = '0x00000000000000000000000000000000000000a9';

describe('orders', () => {
  it("hashes a dataset order exactly as EIP-712 with PoCo's struct layout", () => {
    const order = buildDatasetOrder({
      dataset,
      datasetprice: 7n,
      volume: 3n,
      tag: TDX_TAG,
      apprestrict: app,
      salt: `0x${'ab'.repeat(32)}`,
    });
    // Independent computation: domain separator and struct hash by hand.
    const typeHash = keccak256(
      stringToHex(
        'DatasetOrder(address dataset,uint256 datasetprice,uint256 volume,bytes32 tag,address apprestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt)',
      ),
    );
    const structHash = keccak256(
      encodeAbiParameters(
        [
          { type: 'bytes32' },
          { type: 'address' },
          { type: 'uint256' },
          { type: 'uint256' },
          { type: 'bytes32' },
          { type: 'address' },
          { type: 'address' },
          { type: 'address' },
          { type: 'bytes32' },
        ],
        [typeHash, dataset, 7n, 3n, TDX_TAG, app, zeroAddress, zeroAddress, order.salt],
      ),
    );
    const domainTypeHash = keccak256(stringToHex('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'));
    const separator = keccak256(
      encodeAbiParameters(
        [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }],
        [domainTypeHash, keccak256(stringToHex('iExecODB')), keccak256(stringToHex('5.0.0')), 31337n, domain.verifyingContract],
      ),
    );
    expect(hashOrder({ domain, kind: 'dataset', order })).toBe(keccak256(concat(['0x1901', separator, structHash])));
  });

  it('ignores the signature and depends on every field and the domain', () => {
    const order = buildDatasetOrder({ dataset, apprestrict: app });
    const hash = hashOrder({ domain, kind: 'dataset', order });
    expect(hashOrder({ domain, kind: 'dataset', order: { ...order, sign: '0x1234' } as never })).toBe(hash);
    expect(hashOrder({ domain, kind: 'dataset', order: { ...order, volume: 2n } })).not.toBe(hash);
    expect(hashOrder({ domain: { ...domain, chainId: 1 }, kind: 'dataset', order })).not.toBe(hash);
  });

  it('signs typed data any EIP-712 wallet can verify', async () => {
    const account = privateKeyToAccount(`0x${'11'.repeat(32)}`);
    const request = buildRequestOrder({ app, requester: account.address, params: '{"iexec_args":"a b"}' });
    const definition = orderTypedData(domain, 'request', request);
    const signature = await account.signTypedData(definition);
    expect(await recoverTypedDataAddress({ ...definition, signature })).toBe(account.address);
    expect(unsigned('request', { ...request, sign: signature } as never)).toEqual(request);
  });

  it('builds orders with safe defaults and a fresh salt each time', () => {
    const a = buildDatasetOrder({ dataset });
    const b = buildDatasetOrder({ dataset });
    expect(a.salt).not.toBe(b.salt);
    expect(a).toMatchObject({ datasetprice: 0n, volume: 1n, apprestrict: zeroAddress, requesterrestrict: zeroAddress });
    const request = buildRequestOrder({ app, requester: dataset });
    expect(request.beneficiary).toBe(dataset);
  });
});
