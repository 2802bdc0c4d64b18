/** A signed order as JSON: uint256 fields become decimal strings. */
export function orderToJson(order: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(order).map(([key, value]) => [key, typeof value === 'bigint' ? value.toString() : String(value)]),
  );
}
