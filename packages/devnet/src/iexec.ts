import type { Devnet } from './startDevnet.js';
import { IExecDataProtectorCore } from '@iexec/dataprotector';
import { IExec, utils } from 'iexec';

// iExec's own clients configured for a running local network: options only, nothing patched (what
// the README's "Using iExec's SDK against the local network" says, as code the tests run).

/**
 * iExec's SDK on the local network, signing as one of its named accounts: the API's origin is its
 * market API (and `/subgraphs/poco` its PoCo subgraph), the SMS its SMS, the local storage its IPFS
 * node and gateway.
 *
 * @example
 * const iexec = iexecOn(devnet, 'requester');
 */
export function iexecOn(devnet: Devnet, role: Role): IExec {
  return new IExec({ ethProvider: signerOf(devnet, role) }, iexecOptionsOf(devnet));
}

type Role = 'publisher' | 'dataOwner' | 'requester';

/** A named account's signer, polling the local node every 100 ms (ethers' default is 4 s). */
function signerOf(devnet: Devnet, role: Role) {
  const signer = utils.getSignerFromPrivateKey(devnet.chain.rpcUrl, devnet.chain.accounts[role].privateKey);
  (signer.provider as unknown as { pollingInterval: number }).pollingInterval = 100;
  return signer;
}

/** The local network's services, as iExec's SDK options. */
function iexecOptionsOf(devnet: Devnet) {
  const origin = new URL(devnet.api.url).origin;
  return {
    hubAddress: devnet.chain.addresses.poco,
    smsURL: devnet.sms.url,
    ipfsGatewayURL: devnet.storage.gatewayUrl,
    ipfsNodeURL: devnet.storage.apiUrl,
    iexecGatewayURL: origin,
    // The API's PoCo subgraph (deals, tasks, bulk slices).
    pocoSubgraphURL: `${origin}/subgraphs/poco`,
  };
}

/**
 * `@iexec/dataprotector` on a local network started under chain id 421614 (it refuses others),
 * signing as a named account: the DataProtector contract, subgraph and IPFS of the local network,
 * and iExec's SDK options as `iexecOn` sets them. Its processing calls take the local `workerpool`.
 *
 * @example
 * const dataProtector = dataProtectorOn(devnet, 'dataOwner');
 */
export function dataProtectorOn(devnet: Devnet, role: Role): IExecDataProtectorCore {
  const origin = new URL(devnet.api.url).origin;
  return new IExecDataProtectorCore(signerOf(devnet, role), {
    dataprotectorContractAddress: devnet.chain.dataProtector,
    subgraphUrl: `${origin}/subgraphs/dataprotector`,
    ipfsNode: devnet.storage.apiUrl,
    ipfsGateway: devnet.storage.gatewayUrl,
    iexecOptions: iexecOptionsOf(devnet),
  });
}
