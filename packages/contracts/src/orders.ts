import type { Address, Hex, TypedDataDefinition, TypedDataDomain } from 'viem';

/** An app owner's offer: run my app for this price, this many times. */
export type AppOrder = {
  app: Address;
  appprice: bigint;
  volume: bigint;
  tag: Hex;
  datasetrestrict: Address;
  workerpoolrestrict: Address;
  requesterrestrict: Address;
  salt: Hex;
};

/** A data owner's grant: this app (and requester) may use my data, at this price, this many times. */
export type DatasetOrder = {
  dataset: Address;
  datasetprice: bigint;
  volume: bigint;
  tag: Hex;
  apprestrict: Address;
  workerpoolrestrict: Address;
  requesterrestrict: Address;
  salt: Hex;
};

/** A workerpool's offer of compute in a category, with a trust level and a price. */
export type WorkerpoolOrder = {
  workerpool: Address;
  workerpoolprice: bigint;
  volume: bigint;
  tag: Hex;
  category: bigint;
  trust: bigint;
  apprestrict: Address;
  datasetrestrict: Address;
  requesterrestrict: Address;
  salt: Hex;
};

/** A requester's demand: run this app on this dataset, paying at most these prices. */
export type RequestOrder = {
  app: Address;
  appmaxprice: bigint;
  dataset: Address;
  datasetmaxprice: bigint;
  workerpool: Address;
  workerpoolmaxprice: bigint;
  requester: Address;
  volume: bigint;
  tag: Hex;
  category: bigint;
  trust: bigint;
  beneficiary: Address;
  callback: Address;
  params: string;
  salt: Hex;
};

export type OrderKind = 'app' | 'dataset' | 'workerpool' | 'request';

export type OrderOf<kind extends OrderKind> = {
  app: AppOrder;
  dataset: DatasetOrder;
  workerpool: WorkerpoolOrder;
  request: RequestOrder;
}[kind];

/** An order with its owner's EIP-712 signature (`0x` when presigned on chain). */
export type Signed<order> = order & { sign: Hex };

export type SignedAppOrder = Signed<AppOrder>;
export type SignedDatasetOrder = Signed<DatasetOrder>;
export type SignedWorkerpoolOrder = Signed<WorkerpoolOrder>;
export type SignedRequestOrder = Signed<RequestOrder>;

/** The EIP-712 struct name of each order kind. */
export const orderPrimaryType = {
  app: 'AppOrder',
  dataset: 'DatasetOrder',
  workerpool: 'WorkerpoolOrder',
  request: 'RequestOrder',
} as const satisfies Record<OrderKind, string>;

/** The EIP-712 types of the four PoCo orders (domain "iExecODB" version "5.0.0"). */
export const orderTypes = {
  AppOrder: [
    { name: 'app', type: 'address' },
    { name: 'appprice', type: 'uint256' },
    { name: 'volume', type: 'uint256' },
    { name: 'tag', type: 'bytes32' },
    { name: 'datasetrestrict', type: 'address' },
    { name: 'workerpoolrestrict', type: 'address' },
    { name: 'requesterrestrict', type: 'address' },
    { name: 'salt', type: 'bytes32' },
  ],
  DatasetOrder: [
    { name: 'dataset', type: 'address' },
    { name: 'datasetprice', type: 'uint256' },
    { name: 'volume', type: 'uint256' },
    { name: 'tag', type: 'bytes32' },
    { name: 'apprestrict', type: 'address' },
    { name: 'workerpoolrestrict', type: 'address' },
    { name: 'requesterrestrict', type: 'address' },
    { name: 'salt', type: 'bytes32' },
  ],
  WorkerpoolOrder: [
    { name: 'workerpool', type: 'address' },
    { name: 'workerpoolprice', type: 'uint256' },
    { name: 'volume', type: 'uint256' },
    { name: 'tag', type: 'bytes32' },
    { name: 'category', type: 'uint256' },
    { name: 'trust', type: 'uint256' },
    { name: 'apprestrict', type: 'address' },
    { name: 'datasetrestrict', type: 'address' },
    { name: 'requesterrestrict', type: 'address' },
    { name: 'salt', type: 'bytes32' },
  ],
  RequestOrder: [
    { name: 'app', type: 'address' },
    { name: 'appmaxprice', type: 'uint256' },
    { name: 'dataset', type: 'address' },
    { name: 'datasetmaxprice', type: 'uint256' },
    { name: 'workerpool', type: 'address' },
    { name: 'workerpoolmaxprice', type: 'uint256' },
    { name: 'requester', type: 'address' },
    { name: 'volume', type: 'uint256' },
    { name: 'tag', type: 'bytes32' },
    { name: 'category', type: 'uint256' },
    { name: 'trust', type: 'uint256' },
    { name: 'beneficiary', type: 'address' },
    { name: 'callback', type: 'address' },
    { name: 'params', type: 'string' },
    { name: 'salt', type: 'bytes32' },
  ],
} as const;

/** The asset an order is about: the address whose owner must sign it (request: the requester). */
export function orderSubject(kind: OrderKind, order: AppOrder | DatasetOrder | WorkerpoolOrder | RequestOrder): Address {
  switch (kind) {
    case 'app':
      return (order as AppOrder).app;
    case 'dataset':
      return (order as DatasetOrder).dataset;
    case 'workerpool':
      return (order as WorkerpoolOrder).workerpool;
    case 'request':
      return (order as RequestOrder).requester;
  }
}

/** Drops the signature, keeping exactly the EIP-712 fields of the order. */
export function unsigned<kind extends OrderKind>(kind: kind, order: OrderOf<kind>): OrderOf<kind> {
  const fields = orderTypes[orderPrimaryType[kind]];
  const source = order as Record<string, unknown>;
  return Object.fromEntries(fields.map(({ name }) => [name, source[name]])) as OrderOf<kind>;
}

/**
 * The EIP-712 definition of an order, ready for viem's hash, sign and recover functions. viem types
 * the message from a literal primary type; the kind is only known at run time here, so the
 * definition is typed as one fixed primary type (the fields are checked by `OrderOf<kind>` instead).
 */
export function orderTypedData<kind extends OrderKind>(
  domain: TypedDataDomain,
  kind: kind,
  order: OrderOf<kind>,
): TypedDataDefinition<typeof orderTypes, 'AppOrder'> {
  return {
    domain,
    types: orderTypes,
    primaryType: orderPrimaryType[kind],
    message: unsigned(kind, order),
  } as unknown as TypedDataDefinition<typeof orderTypes, 'AppOrder'>;
}
