import { type Address, bytesToHex, type Hex, zeroAddress } from 'viem';
import type { AppOrder, DatasetOrder, RequestOrder, WorkerpoolOrder } from './orders.js';
import { NO_TAG } from './tags.js';

/** A fresh random 32-byte salt, so two otherwise equal orders have different hashes. */
export function randomSalt(): Hex {
  return bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

type Optional<order, required extends keyof order> = Pick<order, required> & Partial<Omit<order, required>>;

/**
 * An app order with defaults: free, volume 1, no tag, no restriction, random salt.
 *
 * @example
 * const order = buildAppOrder({ app, appprice: 5n, volume: 100n, tag: TDX_TAG });
 */
export function buildAppOrder(fields: Optional<AppOrder, 'app'>): AppOrder {
  return {
    appprice: 0n,
    volume: 1n,
    tag: NO_TAG,
    datasetrestrict: zeroAddress,
    workerpoolrestrict: zeroAddress,
    requesterrestrict: zeroAddress,
    salt: randomSalt(),
    ...fields,
  };
}

/**
 * A dataset order (a grant) with defaults: free, one use, no tag, anyone, random salt.
 *
 * @example
 * const grant = buildDatasetOrder({ dataset, apprestrict: app, volume: 10n, tag: TEE_TAG });
 */
export function buildDatasetOrder(fields: Optional<DatasetOrder, 'dataset'>): DatasetOrder {
  return {
    datasetprice: 0n,
    volume: 1n,
    tag: NO_TAG,
    apprestrict: zeroAddress,
    workerpoolrestrict: zeroAddress,
    requesterrestrict: zeroAddress,
    salt: randomSalt(),
    ...fields,
  };
}

/**
 * A workerpool order with defaults: free, volume 1, category 0, trust 0, no restriction.
 *
 * @example
 * const order = buildWorkerpoolOrder({ workerpool, tag: TDX_TAG, category: 0n });
 */
export function buildWorkerpoolOrder(fields: Optional<WorkerpoolOrder, 'workerpool'>): WorkerpoolOrder {
  return {
    workerpoolprice: 0n,
    volume: 1n,
    tag: NO_TAG,
    category: 0n,
    trust: 0n,
    apprestrict: zeroAddress,
    datasetrestrict: zeroAddress,
    requesterrestrict: zeroAddress,
    salt: randomSalt(),
    ...fields,
  };
}

/**
 * A request order with defaults: no dataset, any workerpool, zero max prices, beneficiary = requester.
 *
 * @example
 * const request = buildRequestOrder({ app, dataset, requester, appmaxprice: 5n, tag: TDX_TAG });
 */
export function buildRequestOrder(fields: Optional<RequestOrder, 'app' | 'requester'>): RequestOrder {
  return {
    appmaxprice: 0n,
    dataset: zeroAddress,
    datasetmaxprice: 0n,
    workerpool: zeroAddress,
    workerpoolmaxprice: 0n,
    volume: 1n,
    tag: NO_TAG,
    category: 0n,
    trust: 0n,
    beneficiary: fields.beneficiary ?? (fields.requester as Address),
    callback: zeroAddress,
    params: '',
    salt: randomSalt(),
    ...fields,
  };
}
