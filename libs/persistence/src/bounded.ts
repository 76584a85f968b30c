/**
 * How many commands one batch keeps in flight at once. FerretDB v1 (SQLite) gives each database a
 * pool of 100 SQLite connections, and an update holds two of them (its query, then its write):
 * a hundred single updates in flight at once take every connection and each waits for a second
 * one, forever (the notification benchmark hung that way once batches made bursts of that size).
 * Reads in flight by the hundred also just queue in FerretDB, in front of everyone else's writes.
 */
export const COMMANDS_IN_FLIGHT_PER_BATCH = 8;

/** `items.map(fn)` with at most `limit` calls under way at once; results in the order of `items`. */
export async function mapBounded<T, R>(items: readonly T[], fn: (item: T) => Promise<R>, limit = COMMANDS_IN_FLIGHT_PER_BATCH): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  return results;
}
