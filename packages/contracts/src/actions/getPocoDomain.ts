import type { Address, TypedDataDomain } from 'viem';
import type { PocoClient } from '../client.js';
import { iexecPocoAbi } from '../generated/abis.js';

export type PocoDomain = TypedDataDomain & {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: Address;
};

export type GetPocoDomainReturnType = PocoDomain;

const cache = new WeakMap<PocoClient['publicClient'], Map<Address, Promise<PocoDomain>>>();

/**
 * Reads the EIP-712 domain that PoCo checks order signatures against (fixed at configuration, so
 * it is read once per client and diamond).
 *
 * @example
 * const domain = await getPocoDomain(client); // { name: 'iExecODB', version: '5.0.0', … }
 */
export function getPocoDomain(client: PocoClient): Promise<GetPocoDomainReturnType> {
  let byDiamond = cache.get(client.publicClient);
  if (!byDiamond) cache.set(client.publicClient, (byDiamond = new Map()));
  let domain = byDiamond.get(client.addresses.poco);
  if (!domain) {
    domain = client.publicClient
      .readContract({ address: client.addresses.poco, abi: iexecPocoAbi, functionName: 'domain' })
      .then((d) => ({ name: d.name, version: d.version, chainId: Number(d.chainId), verifyingContract: d.verifyingContract }));
    domain.catch(() => byDiamond.delete(client.addresses.poco));
    byDiamond.set(client.addresses.poco, domain);
  }
  return domain;
}
