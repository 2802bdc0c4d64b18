import type { Hash } from 'viem';
import { type PocoClient, requireWallet } from '../client.js';
import { InsufficientFundsError } from '../errors.js';
import { rlcAbi } from '../generated/abis.js';
import { writeAndWait } from '../internal/write.js';

export type DepositParameters = {
  /** nRLC (9 decimals) to move from the account's RLC balance into its PoCo escrow. */
  amount: bigint;
};

export type DepositReturnType = { hash: Hash };

/**
 * Deposits RLC into the account's escrow in one transaction (RLC `approveAndCall` on the diamond).
 *
 * @example
 * await deposit(requester, { amount: 1_000_000_000n }); // 1 RLC
 */
export async function deposit(client: PocoClient, { amount }: DepositParameters): Promise<DepositReturnType> {
  const wallet = requireWallet(client, 'depositing RLC');
  const account = wallet.walletClient.account.address;
  const { hash } = await writeAndWait(
    wallet,
    'depositing RLC',
    { address: client.addresses.rlc, abi: rlcAbi, functionName: 'approveAndCall', args: [client.addresses.poco, amount, '0x'] },
    async () => {
      const balance = await client.publicClient.readContract({
        address: client.addresses.rlc,
        abi: rlcAbi,
        functionName: 'balanceOf',
        args: [account],
      });
      return balance < amount ? new InsufficientFundsError(account, 'in RLC', balance, amount) : undefined;
    },
  );
  return { hash };
}
