import mongoose, { Connection } from 'mongoose';

export interface MongoConfig {
  url: string;
  dbName: string;
}

/** A dedicated connection (not mongoose's global one), so tests can open several databases side by side. */
export async function openMongo(config: MongoConfig): Promise<Connection> {
  const connection = mongoose.createConnection(config.url, {
    dbName: config.dbName,
    serverSelectionTimeoutMS: 10_000,
    // Indexes are created explicitly at start-up (see ensureIndexes), where a failure stops the service.
    autoIndex: false,
    autoCreate: false,
  });
  await connection.asPromise();
  return connection;
}

export async function pingMongo(connection: Connection): Promise<void> {
  const db = connection.db;
  if (!db || connection.readyState !== 1) throw new Error('MongoDB is not connected');
  await db.admin().command({ ping: 1 });
}

/** MongoDB duplicate-key error: the unique key we rely on for idempotency said "already there". */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/** A duplicate `_id`, or a bulk write whose every refused statement was one. */
export function onlyDuplicateKeys(error: unknown): boolean {
  if (isDuplicateKey(error)) return true;
  const writeErrors = (error as { writeErrors?: unknown } | null)?.writeErrors;
  const failures = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as { code?: number }[];
  return failures.length > 0 && failures.every((f) => f.code === 11000);
}
