import { type Address, type Hex, parseAbiItem, zeroAddress } from 'viem';
import { getPocoDomain } from '../actions/getPocoDomain.js';
import { hashOrder } from '../actions/hashOrder.js';
import { verifyOrder } from '../actions/verifyOrder.js';
import type { PocoClient } from '../client.js';
import {
  AssetNotFoundError,
  InsufficientFundsError,
  InvalidOrderSignatureError,
  OrderConsumedError,
  OrdersIncompatibleError,
} from '../errors.js';
import { appRegistryAbi, iexecPocoAbi } from '../generated/abis.js';
import type { OrderKind, SignedAppOrder, SignedDatasetOrder, SignedRequestOrder, SignedWorkerpoolOrder } from '../orders.js';
import { decodeTag } from '../tags.js';
import type { RevertInfo } from './revert.js';

export type MatchedOrders = {
  appOrder: SignedAppOrder;
  datasetOrder: SignedDatasetOrder;
  workerpoolOrder: SignedWorkerpoolOrder;
  requestOrder: SignedRequestOrder;
};

const tags = (tag: Hex) => `[${decodeTag(tag).join(', ') || 'none'}]`;
const only = (restriction: Address) => (restriction === zeroAddress ? 'anyone' : restriction);

type Words = [message: string, hint: string];

/** PoCo's matchOrders reason codes, in plain words built from the orders themselves. */
function incompatibility(code: string, o: MatchedOrders): Words | undefined {
  const key = code.slice(-4);
  return termsMismatch(key, o) ?? restrictionMismatch(key, o);
}

/** Codes 0x00–0x07: category, trust, prices and tags the orders disagree on. */
function termsMismatch(key: string, o: MatchedOrders): Words | undefined {
  const { appOrder: a, datasetOrder: d, workerpoolOrder: w, requestOrder: r } = o;
  switch (key) {
    case '0x00':
      return [
        `the request order asks for category ${r.category} but the workerpool order serves category ${w.category}`,
        'Use a workerpool order of the requested category.',
      ];
    case '0x01':
      return [`category ${r.category} does not exist on this network`, 'Pick an existing category (0 to 4 on a default deployment).'];
    case '0x02':
      return [
        `the request order asks for trust ${r.trust} but the workerpool order offers only ${w.trust}`,
        'Lower the requested trust or use another workerpool order.',
      ];
    case '0x03':
      return [
        `the app costs ${a.appprice} nRLC but the request order pays at most ${r.appmaxprice}`,
        "Raise the request's appmaxprice or use a cheaper app order.",
      ];
    case '0x04':
      return [
        `the dataset costs ${d.datasetprice} nRLC but the request order pays at most ${r.datasetmaxprice}`,
        "Raise the request's datasetmaxprice or ask for a cheaper grant.",
      ];
    case '0x05':
      return [
        `the workerpool costs ${w.workerpoolprice} nRLC but the request order pays at most ${r.workerpoolmaxprice}`,
        "Raise the request's workerpoolmaxprice or use a cheaper workerpool order.",
      ];
    case '0x06':
      return [
        `the workerpool order's tag ${tags(w.tag)} does not provide what the app, dataset and request orders require (${tags(a.tag)}, ${tags(d.tag)}, ${tags(r.tag)})`,
        'Use a workerpool order whose tag includes every required bit (a TEE workerpool for TEE work).',
      ];
    case '0x07':
      return [
        `the dataset or request order requires a TEE but the app order is not a TEE order (tag ${tags(a.tag)})`,
        'Use a TEE app order: protected data is only ever opened inside an enclave.',
      ];
    default:
      return undefined;
  }
}

/** Codes 0x10–0x1b: an order names or restricts to another app, dataset, workerpool or requester. */
function restrictionMismatch(key: string, o: MatchedOrders): Words | undefined {
  const { appOrder: a, datasetOrder: d, workerpoolOrder: w, requestOrder: r } = o;
  switch (key) {
    case '0x10':
      return [
        `the request order is for app ${r.app} but the app order is for app ${a.app}`,
        'Match the request with an order of the app it names.',
      ];
    case '0x11':
      return [
        `the request order is for dataset ${r.dataset} but the dataset order is for dataset ${d.dataset}`,
        'Match the request with a grant of the dataset it names.',
      ];
    case '0x12':
      return [`the request order only allows workerpool ${r.workerpool}, not ${w.workerpool}`, 'Use an order of the requested workerpool.'];
    case '0x13':
      return [`the app order only allows dataset ${a.datasetrestrict}, not ${d.dataset}`, 'Use an app order that allows this dataset.'];
    case '0x14':
      return [
        `the app order only allows workerpool ${a.workerpoolrestrict}, not ${w.workerpool}`,
        'Use a workerpool the app order allows.',
      ];
    case '0x15':
      return [
        `the app order only allows requester ${a.requesterrestrict}, not ${r.requester}`,
        'Ask the app owner for an app order open to you.',
      ];
    case '0x16':
      return [
        `the dataset order only allows app ${only(d.apprestrict)}, not ${a.app}`,
        'Run the app the data owner granted, or ask the data owner to grant this app.',
      ];
    case '0x17':
      return [
        `the dataset order only allows workerpool ${d.workerpoolrestrict}, not ${w.workerpool}`,
        'Use the workerpool the grant names.',
      ];
    case '0x18':
      return [
        `the dataset order only allows requester ${only(d.requesterrestrict)}, not ${r.requester}`,
        'Ask the data owner to grant access to your account.',
      ];
    case '0x19':
      return [`the workerpool order only allows app ${w.apprestrict}, not ${a.app}`, 'Use a workerpool order open to this app.'];
    case '0x1a':
      return [
        `the workerpool order only allows dataset ${w.datasetrestrict}, not ${d.dataset}`,
        'Use a workerpool order open to this dataset.',
      ];
    case '0x1b':
      return [
        `the workerpool order only allows requester ${w.requesterrestrict}, not ${r.requester}`,
        'Use a workerpool order open to you.',
      ];
    default:
      return undefined;
  }
}

const signatureChecks: Record<string, { kind: OrderKind; registered?: boolean }> = {
  '0x20': { kind: 'app', registered: false },
  '0x21': { kind: 'app' },
  '0x30': { kind: 'dataset', registered: false },
  '0x31': { kind: 'dataset' },
  '0x40': { kind: 'workerpool', registered: false },
  '0x41': { kind: 'workerpool' },
  '0x50': { kind: 'request' },
};

/** Turns a matchOrders revert into the error that says what was wrong, reading the chain if needed. */
export async function explainMatchOrders(client: PocoClient, orders: MatchedOrders, revert: RevertInfo): Promise<Error | undefined> {
  const reason = revert.reason ?? '';
  if (reason.startsWith('iExecV5-matchOrders-')) {
    const code = reason.slice(-4);
    const words = incompatibility(code, orders);
    if (words) return new OrdersIncompatibleError(reason, ...words);
    const check = signatureChecks[code];
    if (check) {
      const order = orderOfKind(orders, check.kind);
      if (check.registered === false)
        return new AssetNotFoundError(check.kind as Exclude<OrderKind, 'request'>, subjectOf(orders, check.kind));
      const { expectedSigner, signer } = await verifyOrder(client, { kind: check.kind, order: order as never });
      return new InvalidOrderSignatureError(
        check.kind,
        expectedSigner,
        signer ? `the signature recovers to ${signer}` : 'the signature is missing or malformed',
      );
    }
    if (code === '0x60') return explainNoVolume(client, orders);
  }
  if (reason === 'IexecEscrow: Transfer amount exceeds balance') return explainFunds(client, orders);
  // Asking an address that is not an asset for its owner reverts without a reason: name the asset.
  if (!reason) return explainUnregistered(client, orders);
  return undefined;
}

async function explainUnregistered(client: PocoClient, orders: MatchedOrders): Promise<Error | undefined> {
  const checks = [
    ['app', orders.appOrder.app, client.addresses.appRegistry],
    ['dataset', orders.datasetOrder.dataset, client.addresses.datasetRegistry],
    ['workerpool', orders.workerpoolOrder.workerpool, client.addresses.workerpoolRegistry],
  ] as const;
  for (const [kind, asset, registry] of checks) {
    if (kind === 'dataset' && asset === zeroAddress) continue;
    const registered = await client.publicClient.readContract({
      address: registry,
      abi: appRegistryAbi,
      functionName: 'isRegistered',
      args: [asset],
    });
    if (!registered) return new AssetNotFoundError(kind, asset);
  }
  return undefined;
}

function orderOfKind(orders: MatchedOrders, kind: OrderKind) {
  return { app: orders.appOrder, dataset: orders.datasetOrder, workerpool: orders.workerpoolOrder, request: orders.requestOrder }[kind];
}

function subjectOf(orders: MatchedOrders, kind: OrderKind): Address {
  return {
    app: orders.appOrder.app,
    dataset: orders.datasetOrder.dataset,
    workerpool: orders.workerpoolOrder.workerpool,
    request: orders.requestOrder.requester,
  }[kind];
}

const closedEvents = {
  app: parseAbiItem('event ClosedAppOrder(bytes32 appHash)'),
  dataset: parseAbiItem('event ClosedDatasetOrder(bytes32 datasetHash)'),
  workerpool: parseAbiItem('event ClosedWorkerpoolOrder(bytes32 workerpoolHash)'),
  request: parseAbiItem('event ClosedRequestOrder(bytes32 requestHash)'),
} as const;

async function explainNoVolume(client: PocoClient, orders: MatchedOrders): Promise<Error | undefined> {
  const domain = await getPocoDomain(client);
  const kinds: OrderKind[] =
    orders.datasetOrder.dataset === zeroAddress ? ['app', 'workerpool', 'request'] : ['app', 'dataset', 'workerpool', 'request'];
  for (const kind of kinds) {
    const order = orderOfKind(orders, kind);
    const orderHash = hashOrder({ domain, kind, order: order as never });
    const consumed = await client.publicClient.readContract({
      address: client.addresses.poco,
      abi: iexecPocoAbi,
      functionName: 'viewConsumed',
      args: [orderHash],
    });
    if (consumed < order.volume) continue;
    let cancelled: boolean | undefined;
    try {
      const logs = await client.publicClient.getLogs({
        address: client.addresses.poco,
        event: closedEvents[kind],
        fromBlock: 'earliest',
        toBlock: 'latest',
      });
      cancelled = logs.some((log) => Object.values(log.args)[0] === orderHash);
    } catch {
      // Public nodes often refuse a log query over the whole chain: say both possibilities.
      cancelled = undefined;
    }
    return new OrderConsumedError(kind, orderHash, cancelled);
  }
  return undefined;
}

async function explainFunds(client: PocoClient, orders: MatchedOrders): Promise<Error | undefined> {
  const { appOrder: a, datasetOrder: d, workerpoolOrder: w, requestOrder: r } = orders;
  const volume = await client.publicClient.readContract({
    address: client.addresses.poco,
    abi: iexecPocoAbi,
    functionName: 'computeDealVolume',
    args: [a, d, w, r],
  });
  const requesterNeeds = (a.appprice + (d.dataset === zeroAddress ? 0n : d.datasetprice) + w.workerpoolprice) * volume;
  const [requester, stakeRatio, workerpool] = await Promise.all([
    client.publicClient.readContract({
      address: client.addresses.poco,
      abi: iexecPocoAbi,
      functionName: 'viewAccount',
      args: [r.requester],
    }),
    client.publicClient.readContract({ address: client.addresses.poco, abi: iexecPocoAbi, functionName: 'workerpool_stake_ratio' }),
    client.publicClient.readContract({
      address: client.addresses.poco,
      abi: iexecPocoAbi,
      functionName: 'viewWorkerpool',
      args: [w.workerpool],
    }),
  ]);
  if (requester.stake < requesterNeeds) return new InsufficientFundsError(r.requester, 'free in escrow', requester.stake, requesterNeeds);
  const schedulerNeeds = ((w.workerpoolprice * stakeRatio) / 100n) * volume;
  const scheduler = await client.publicClient.readContract({
    address: client.addresses.poco,
    abi: iexecPocoAbi,
    functionName: 'viewAccount',
    args: [workerpool.owner],
  });
  return new InsufficientFundsError(workerpool.owner, "free in escrow (the workerpool owner's stake)", scheduler.stake, schedulerNeeds);
}
