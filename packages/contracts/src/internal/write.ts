import type { Abi, Address, ContractFunctionArgs, ContractFunctionName, Hash, TransactionReceipt } from 'viem';
import type { PocoWalletClient } from '../client.js';
import { ContractCallError } from '../errors.js';
import { getRevertInfo, type RevertInfo } from './revert.js';

export type WriteRequest<abi extends Abi, name extends ContractFunctionName<abi, 'nonpayable' | 'payable'>> = {
  address: Address;
  abi: abi;
  functionName: name;
  args: ContractFunctionArgs<abi, 'nonpayable' | 'payable', name>;
};

/**
 * Sends a transaction and waits for its receipt. When the contract refuses, `explain` turns the
 * revert (and the chain state it may read) into a readable error; otherwise a ContractCallError.
 */
export async function writeAndWait<abi extends Abi, name extends ContractFunctionName<abi, 'nonpayable' | 'payable'>>(
  client: PocoWalletClient,
  action: string,
  request: WriteRequest<abi, name>,
  explain?: (revert: RevertInfo) => Promise<Error | undefined>,
): Promise<{ hash: Hash; receipt: TransactionReceipt }> {
  let hash: Hash;
  try {
    // The generic request is exactly what writeContract takes; viem's overloads cannot see that.
    hash = await client.walletClient.writeContract(request as never);
  } catch (error) {
    const revert = getRevertInfo(error);
    if (!revert) throw error;
    throw (await explain?.(revert)) ?? new ContractCallError(action, revert.reason ?? revert.errorName, error);
  }
  const receipt = await client.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') {
    const revert: RevertInfo = { reason: undefined, errorName: undefined, args: undefined };
    throw (await explain?.(revert)) ?? new ContractCallError(action, `transaction ${hash} reverted`, undefined);
  }
  return { hash, receipt };
}
