import { BaseError as ViemBaseError, ContractFunctionRevertedError } from 'viem';

export type RevertInfo = {
  /** The `require` / `revert` reason string, if the contract gave one. */
  reason: string | undefined;
  /** The custom error's name and arguments, if the contract reverted with one. */
  errorName: string | undefined;
  args: readonly unknown[] | undefined;
};

/** Digs the revert reason out of a viem error, or undefined if the failure was not a revert. */
export function getRevertInfo(error: unknown): RevertInfo | undefined {
  if (!(error instanceof ViemBaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError) {
    return {
      reason: meaningful(reverted.reason),
      errorName: reverted.data?.errorName,
      args: reverted.data?.args,
    };
  }
  // Some nodes answer gas estimation with a plain "execution reverted" RPC error.
  const text = `${error.details ?? ''} ${error.shortMessage}`;
  if (/revert/i.test(text)) {
    const reason = /reverted with reason string '([^']*)'/.exec(text)?.[1] ?? /revert(?:ed)?:? ([\w\s:-]+)$/.exec(error.details ?? '')?.[1];
    return { reason: meaningful(reason?.trim()), errorName: undefined, args: undefined };
  }
  return undefined;
}

/** Nodes fill an empty revert with their own words; those say nothing about the cause. */
function meaningful(reason: string | undefined): string | undefined {
  return reason && !/^execution reverted\.?$/i.test(reason) ? reason : undefined;
}
