import { encodePacked, type Hex, keccak256 } from 'viem';

/**
 * The id of task `index` of a deal: keccak256(dealId, index), as PoCo computes it.
 *
 * @example
 * const taskId = computeTaskId(dealId, 0n);
 */
export function computeTaskId(dealId: Hex, index: bigint): Hex {
  return keccak256(encodePacked(['bytes32', 'uint256'], [dealId, index]));
}
