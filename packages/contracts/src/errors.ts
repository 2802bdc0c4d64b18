import { BaseError, type ErrorReviver, type RevivedErrorOptions, reviver } from '@confidant/errors';
import { z } from 'zod';
import type { Address, Hex } from 'viem';
import type { OrderKind } from './orders.js';
import { addressSchema, bytes32Schema } from './schemas.js';

export type AssetKind = 'app' | 'dataset' | 'workerpool';

/** A write was asked of a client that has no account to sign with. */
export class MissingAccountError extends BaseError {
  override name = 'MissingAccountError';
  constructor(action: string) {
    super(`${action} needs an account to sign with, and the client has none`, {
      hints: ['Create the client with an `account` (a private key or a viem account).'],
      kind: 'unauthenticated',
    });
  }
}

/** The network name or chain id is not one of the presets. */
export class UnknownNetworkError extends BaseError {
  override name = 'UnknownNetworkError';
  constructor(network: string, known: readonly string[]) {
    super(`unknown network "${network}"`, {
      hints: [`Use one of: ${known.join(', ')}.`],
      kind: 'invalid-input',
    });
  }
}

/** A local node under a chain id the local network does not run under (a public chain's, other than 421614). */
export class UnsupportedLocalChainIdError extends BaseError {
  override name = 'UnsupportedLocalChainIdError';
  constructor(chainId: number, supported: readonly number[]) {
    super(`the local network cannot run under chain id ${chainId}`, {
      hints: [`Use one of: ${supported.join(', ')} (421614 lets iExec's own clients use the local network).`],
      kind: 'invalid-input',
    });
  }
}

/** The network has no PoCo addresses yet (the local node before deployment). */
export class MissingAddressesError extends BaseError {
  override name = 'MissingAddressesError';
  constructor(network: string) {
    super(`the PoCo contract addresses of network "${network}" are not known`, {
      hints: ['Start the local network first (`npm start`) and pass the addresses it prints.'],
      kind: 'invalid-input',
    });
  }
}

/** A tag string that is not a bytes32 hex or not a known tag name. */
export class InvalidTagError extends BaseError {
  override name = 'InvalidTagError';
  constructor(tag: string) {
    super(`"${tag}" is not a tag`, {
      hints: ['Use a bytes32 hex value, or the names tee, scone, gramine, tdx.'],
      kind: 'invalid-input',
    });
  }
}

/** The address is not registered in the app, dataset or workerpool registry. */
export class AssetNotFoundError extends BaseError {
  override name = 'AssetNotFoundError';
  readonly asset: Address;
  readonly assetKind: AssetKind;
  declare readonly fields: { assetKind: AssetKind; asset: Address };
  constructor(assetKind: AssetKind, asset: Address, options: RevivedErrorOptions = {}) {
    super(`${assetKind} ${asset} is not a registered ${assetKind}`, {
      hints: [`Check the address and the network; a ${assetKind} must be created on this network first.`],
      kind: 'not-found',
      fields: { assetKind, asset },
      ...options,
    });
    this.asset = asset;
    this.assetKind = assetKind;
  }
}

/** The caller is not the on-chain owner of the asset it tries to manage. */
export class NotAssetOwnerError extends BaseError {
  override name = 'NotAssetOwnerError';
  readonly asset: Address;
  readonly owner: Address;
  constructor(assetKind: AssetKind, asset: Address, owner: Address, caller: Address) {
    super(`you (${caller}) are not the owner of ${assetKind} ${asset}; its owner is ${owner}`, {
      hints: [`Use the owner's account, or ask ${owner} to do it.`],
      kind: 'forbidden',
    });
    this.asset = asset;
    this.owner = owner;
  }
}

/** Only the requester of a request order can manage it. */
export class NotRequesterError extends BaseError {
  override name = 'NotRequesterError';
  constructor(requester: Address, caller: Address) {
    super(`you (${caller}) are not the requester of this request order; its requester is ${requester}`, {
      hints: [`Use the account ${requester}.`],
      kind: 'forbidden',
    });
  }
}

/** An order's tag is one iExec 9 refuses for its kind (SGX frameworks, or a TEE without TDX). */
export class UnsupportedTagError extends BaseError {
  override name = 'UnsupportedTagError';
  declare readonly fields: { orderKind: OrderKind; tag: Hex; reason: string };
  constructor(orderKind: OrderKind, tag: Hex, reason: string, options: RevivedErrorOptions = {}) {
    super(`the ${orderKind} order's tag ${tag} ${reason}`, {
      hints: ["Use tag 0x…09 (tee + tdx, `TDX_TAG`): iExec's networks run Intel TDX only."],
      kind: 'invalid-input',
      fields: { orderKind, tag, reason },
      ...options,
    });
  }
}

/** matchOrders refused because the orders do not fit together (price, tag, restriction, category). */
export class OrdersIncompatibleError extends BaseError {
  override name = 'OrdersIncompatibleError';
  /** PoCo's reason code, e.g. `iExecV5-matchOrders-0x16`. */
  readonly code: string;
  constructor(code: string, message: string, hint: string) {
    super(message, { details: `PoCo refused with ${code}`, hints: [hint], kind: 'forbidden' });
    this.code = code;
  }
}

/** An order's signature does not come from the owner of its asset (or the requester). */
export class InvalidOrderSignatureError extends BaseError {
  override name = 'InvalidOrderSignatureError';
  readonly orderKind: OrderKind;
  constructor(orderKind: OrderKind, expectedSigner: Address | undefined, details?: string) {
    super(
      `the ${orderKind} order is not signed by ${expectedSigner ? expectedSigner : `its ${orderKind === 'request' ? 'requester' : 'owner'}`}`,
      {
        details,
        hints: [
          `Sign the ${orderKind} order again with the ${orderKind === 'request' ? 'requester' : `${orderKind} owner`}'s account, for this network's PoCo domain.`,
        ],
        kind: 'forbidden',
      },
    );
    this.orderKind = orderKind;
  }
}

/** An order has no volume left: cancelled (revoked) by its owner, or every use consumed. */
export class OrderConsumedError extends BaseError {
  override name = 'OrderConsumedError';
  readonly orderKind: OrderKind;
  readonly orderHash: Hex;
  /** True: cancelled on chain; false: used up; undefined: the node could not tell which. */
  readonly cancelled: boolean | undefined;
  constructor(orderKind: OrderKind, orderHash: Hex, cancelled: boolean | undefined) {
    const what =
      cancelled === true
        ? 'was cancelled by its owner'
        : cancelled === false
          ? 'has no volume left: every use is consumed'
          : 'has no volume left: cancelled by its owner or every use consumed';
    super(`the ${orderKind} order ${orderHash} ${what}`, {
      hints: [orderKind === 'dataset' ? 'Ask the data owner for a new grant.' : `Use a new ${orderKind} order.`],
      kind: 'conflict',
    });
    this.orderKind = orderKind;
    this.orderHash = orderHash;
    this.cancelled = cancelled;
  }
}

/** An account's free escrow balance (or RLC balance) cannot cover what it must pay or stake. */
export class InsufficientFundsError extends BaseError {
  override name = 'InsufficientFundsError';
  readonly account: Address;
  constructor(account: Address, what: string, available: bigint, required: bigint | undefined) {
    super(`${account} has ${available} nRLC ${what}${required === undefined ? ', not enough' : `, needs ${required}`}`, {
      hints: [
        what.includes('escrow')
          ? `Deposit RLC into the escrow of ${account} (deposit action, or \`confidant wallet deposit\`).`
          : `Get RLC on ${account} first.`,
      ],
      kind: 'conflict',
    });
    this.account = account;
  }
}

/** A deal id that the chain does not know. */
export class DealNotFoundError extends BaseError {
  override name = 'DealNotFoundError';
  constructor(dealId: Hex) {
    super(`deal ${dealId} does not exist on this network`, {
      hints: ['Check the deal id and the network.'],
      kind: 'not-found',
    });
  }
}

/** A task id that the chain does not know (not initialized yet, or wrong id). */
export class TaskNotFoundError extends BaseError {
  override name = 'TaskNotFoundError';
  constructor(taskId: Hex) {
    super(`task ${taskId} does not exist on this network`, {
      hints: ['A task exists once its deal is matched and the task initialized; check the id and the network.'],
      kind: 'not-found',
    });
  }
}

/** The task is not in the state the call needs (already finalized, past a deadline, …). */
export class TaskStateError extends BaseError {
  override name = 'TaskStateError';
  readonly taskId: Hex;
  constructor(taskId: Hex, message: string, hint: string) {
    super(`task ${taskId}: ${message}`, { hints: [hint], kind: 'conflict' });
    this.taskId = taskId;
  }
}

/** The workerpool owner's authorization of (worker, task, enclave) does not verify. */
export class InvalidAuthorizationError extends BaseError {
  override name = 'InvalidAuthorizationError';
  constructor(signer: Address, expected: Address) {
    super(`the worker authorization is signed by ${signer}, not by the workerpool owner ${expected}`, {
      hints: ['Have the workerpool owner (the scheduler) sign keccak256(worker, taskId, enclaveChallenge).'],
      kind: 'forbidden',
    });
  }
}

/** The enclave's signature of the result does not come from the enclave challenge key. */
export class InvalidEnclaveSignatureError extends BaseError {
  override name = 'InvalidEnclaveSignatureError';
  constructor(signer: Address, enclaveChallenge: Address) {
    super(`the result is signed by ${signer}, not by the enclave ${enclaveChallenge}`, {
      hints: ["The enclave that computed the result must sign it with its challenge key; do not reuse another task's enclave."],
      kind: 'forbidden',
    });
  }
}

/** A contract call reverted for a reason this client has no plainer words for. */
export class ContractCallError extends BaseError {
  override name = 'ContractCallError';
  readonly reason: string | undefined;
  constructor(action: string, reason: string | undefined, cause: unknown) {
    super(`${action} was refused by the contract${reason ? `: ${reason}` : ''}`, {
      hints: ['Check the parameters against the on-chain state (owner, balances, order volumes, task status).'],
      cause,
      kind: 'conflict',
    });
    this.reason = reason;
  }
}

/** The registry already holds an asset with exactly these parameters (its address is derived from them). */
export class AssetAlreadyExistsError extends BaseError {
  override name = 'AssetAlreadyExistsError';
  readonly asset: Address;
  constructor(assetKind: AssetKind, asset: Address) {
    super(`a ${assetKind} with exactly these parameters already exists at ${asset}`, {
      hints: [`Use the existing ${assetKind}, or change its name to register another one.`],
      kind: 'conflict',
    });
    this.asset = asset;
  }
}

/** Something that should be an address is not one. */
export class InvalidAddressError extends BaseError {
  override name = 'InvalidAddressError';
  constructor(value: string) {
    super(`"${value.slice(0, 80)}" is not an address`, { hints: ['Pass a 0x-prefixed 20-byte hex address.'], kind: 'invalid-input' });
  }
}

/** How a client rebuilds the errors of this package that a service may send it (see `@confidant/errors`' `reviveError`). */
export const contractErrorRevivers: Readonly<Record<string, ErrorReviver>> = {
  UnsupportedTagError: reviver(
    z.object({ orderKind: z.enum(['app', 'dataset', 'workerpool', 'request']), tag: bytes32Schema, reason: z.string() }),
    (f, o) => new UnsupportedTagError(f.orderKind, f.tag, f.reason, o),
  ),
  AssetNotFoundError: reviver(
    z.object({ assetKind: z.enum(['app', 'dataset', 'workerpool']), asset: addressSchema }),
    (f, o) => new AssetNotFoundError(f.assetKind, f.asset, o),
  ),
};
