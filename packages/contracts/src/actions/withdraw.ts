import type { Hash } from 'viem';
import { type PocoClient, requireWallet } from '../client.js';
import { InsufficientFundsError } from '../errors.js';
import { iexecPocoAbi } from '../generated/abis.js';
import { writeAndWait } from '../internal/write.js';
import { getEscrowBalance } from './getEscrowBalance.js';

export type WithdrawParameters = {
  /** nRLC to move from the account's free escrow balance back to its RLC balance. */
  amount: bigint;
};

export type WithdrawReturnType = { hash: Hash };

/**
 * Withdraws RLC from the account's escrow (only the free part; frozen RLC backs running deals).
 *
 * @example
 * await withdraw(dataOwner, { amount: earnings });
 */
export async function withdraw(client: PocoClient, { amount }: WithdrawParameters): Promise<WithdrawReturnType> {
  const wallet = requireWallet(client, 'withdrawing RLC');
  const account = wallet.walletClient.account.address;
  const { hash } = await writeAndWait(
    wallet,
    'withdrawing RLC',
    { address: client.addresses.poco, abi: iexecPocoAbi, functionName: 'withdraw', args: [amount] },
    async () => {
      const { balance } = await getEscrowBalance(client, { account });
      return balance < amount ? new InsufficientFundsError(account, 'free in escrow', balance, amount) : undefined;
    },
  );
  return { hash };
}
