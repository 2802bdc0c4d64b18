import { buildRequestOrder, requestParams, signOrder, TDX_TAG } from '@confidant/contracts';
import type { Devnet } from '@confidant/devnet';
import { IExec, utils } from 'iexec';
import type { Address } from 'viem';

// What the compatibility suites share: iExec's SDK configured for a running local network (options
// only, nothing patched), and a free TDX request order signed by Confidant as its SDK signs one.

/**
 * iExec's SDK on the local network, signing as one of its named accounts: the API's origin is its
 * market API, the SMS its SMS, the local storage its IPFS node and gateway.
 *
 * @example
 * const iexec = iexecOn(devnet, 'requester');
 */
export function iexecOn(devnet: Devnet, role: 'publisher' | 'dataOwner' | 'requester'): IExec {
  const signer = utils.getSignerFromPrivateKey(devnet.chain.rpcUrl, devnet.chain.accounts[role].privateKey);
  return new IExec(
    { ethProvider: signer },
    {
      hubAddress: devnet.chain.addresses.poco,
      smsURL: devnet.sms.url,
      ipfsGatewayURL: devnet.storage.gatewayUrl,
      ipfsNodeURL: devnet.storage.apiUrl,
      iexecGatewayURL: new URL(devnet.api.url).origin,
      // Not queried by the calls these suites make.
      pocoSubgraphURL: 'http://127.0.0.1:9',
    },
  );
}

/**
 * A free request order of the local network's requester for `app` (and `dataset`), on its TEE
 * workerpool, with the params iExec 9 sets for an encrypted result.
 *
 * @example
 * const requestorder = await freeRequestOrder(devnet, { app, dataset, args: 'Alice' });
 */
export function freeRequestOrder(devnet: Devnet, { app, dataset, args }: { app: Address; dataset?: Address; args: string }) {
  return signOrder(devnet.chain.client('requester'), {
    kind: 'request',
    order: buildRequestOrder({
      app,
      appmaxprice: 0n,
      ...(dataset ? { dataset, datasetmaxprice: 0n } : {}),
      workerpool: devnet.chain.workerpool.address,
      workerpoolmaxprice: 0n,
      requester: devnet.chain.accounts.requester.address,
      volume: 1n,
      tag: TDX_TAG,
      category: 0n,
      trust: 0n,
      params: requestParams({ args }),
    }),
  });
}
