/**
 * One page of a list queried with `limit + 1` rows from `cursor`: the items and the next cursor
 * (null on the last page).
 */
export function pageOf<T>(rows: T[], input: { limit: number; cursor?: number | undefined }): { items: T[]; nextCursor: number | null } {
  return { items: rows.slice(0, input.limit), nextCursor: rows.length > input.limit ? (input.cursor ?? 0) + input.limit : null };
}
