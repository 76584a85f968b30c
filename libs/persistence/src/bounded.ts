import { mongo } from 'mongoose';

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

/**
 * Statements per `update` command. FerretDB v1 keeps each statement's query open (a SQLite
 * connection) until the whole command is done (`defer` inside its loop over statements), so one
 * command of a hundred updates takes every connection of the database's pool and waits for one
 * more, forever: the database is wedged until FerretDB restarts (found by the notification
 * benchmark, with 200-statement bulkWrites).
 */
export const STATEMENTS_PER_UPDATE_COMMAND = 25;

let updatesInFlight: Promise<unknown> = Promise.resolve();

/**
 * A bulkWrite of `_id`-keyed updates, in commands of at most STATEMENTS_PER_UPDATE_COMMAND
 * statements, one command at a time in this process: at most that many connections of
 * FerretDB's pool held by our batched updates at once.
 */
export async function bulkWriteInChunks<T extends mongo.Document>(collection: mongo.Collection<T>, operations: readonly mongo.AnyBulkWriteOperation<T>[]): Promise<void> {
  for (let start = 0; start < operations.length; start += STATEMENTS_PER_UPDATE_COMMAND) {
    const chunk = operations.slice(start, start + STATEMENTS_PER_UPDATE_COMMAND);
    const turn = updatesInFlight.then(() => collection.bulkWrite(chunk as mongo.AnyBulkWriteOperation<T>[], { ordered: false }));
    updatesInFlight = turn.catch(() => undefined);
    await turn;
  }
}
