import { type Hash, type Hex, parseEventLogs, zeroAddress } from 'viem';
import { type PocoClient, requireWallet } from '../client.js';
import { ContractCallError } from '../errors.js';
import { iexecPocoAbi } from '../generated/abis.js';
import { explainMatchOrders, type MatchedOrders } from '../internal/explainMatchOrders.js';
import { writeAndWait } from '../internal/write.js';
import type { SignedAppOrder, SignedDatasetOrder, SignedRequestOrder, SignedWorkerpoolOrder } from '../orders.js';
import { NO_TAG } from '../tags.js';

export type MatchOrdersParameters = {
  appOrder: SignedAppOrder;
  /** Omit for a task without protected data. */
  datasetOrder?: SignedDatasetOrder | undefined;
  workerpoolOrder: SignedWorkerpoolOrder;
  requestOrder: SignedRequestOrder;
};

export type MatchOrdersReturnType = {
  dealId: Hex;
  /** How many tasks the deal holds (the smallest remaining volume of the four orders). */
  volume: bigint;
  hash: Hash;
};

/** The order PoCo expects in place of a dataset order when a task uses no dataset. */
export const emptyDatasetOrder: SignedDatasetOrder = {
  dataset: zeroAddress,
  datasetprice: 0n,
  volume: 0n,
  tag: NO_TAG,
  apprestrict: zeroAddress,
  workerpoolrestrict: zeroAddress,
  requesterrestrict: zeroAddress,
  salt: `0x${'0'.repeat(64)}`,
  sign: '0x',
};

/**
 * Matches an app, dataset, workerpool and request order into a deal, locking the requester's payment
 * and the workerpool's stake. A refusal says in plain words which order does not fit and why.
 *
 * @example
 * const { dealId } = await matchOrders(requester, { appOrder, datasetOrder, workerpoolOrder, requestOrder });
 */
export async function matchOrders(client: PocoClient, parameters: MatchOrdersParameters): Promise<MatchOrdersReturnType> {
  const wallet = requireWallet(client, 'matching orders');
  const orders: MatchedOrders = {
    appOrder: parameters.appOrder,
    datasetOrder: parameters.datasetOrder ?? emptyDatasetOrder,
    workerpoolOrder: parameters.workerpoolOrder,
    requestOrder: parameters.requestOrder,
  };
  const { hash, receipt } = await writeAndWait(
    wallet,
    'matching orders',
    {
      address: client.addresses.poco,
      abi: iexecPocoAbi,
      functionName: 'matchOrders',
      args: [orders.appOrder, orders.datasetOrder, orders.workerpoolOrder, orders.requestOrder],
    },
    (revert) => explainMatchOrders(client, orders, revert),
  );
  const [matched] = parseEventLogs({ abi: iexecPocoAbi, eventName: 'OrdersMatched', logs: receipt.logs });
  if (!matched) throw new ContractCallError('matching orders', `no OrdersMatched event in ${hash}`, undefined);
  return { dealId: matched.args.dealid, volume: matched.args.volume, hash };
}
