import { mongo } from 'mongoose';

/**
 * Inserts documents with one `insertMany` (unordered: one refused document does not stop the
 * others) and tells which were new and which `_id`s were already there. On FerretDB v1 a batch is
 * one SQLite transaction, where single inserts commit one by one under the database's write lock.
 * Any error other than a duplicate `_id` is thrown: then some may be stored and some not, and the
 * caller runs again (a duplicate is what an earlier attempt stored).
 */
export async function insertManyOnce<T extends mongo.Document & { _id: string }>(collection: mongo.Collection<T>, documents: readonly T[]): Promise<{ inserted: T[]; duplicates: T[] }> {
  if (documents.length === 0) return { inserted: [], duplicates: [] };
  try {
    await collection.insertMany(documents as mongo.OptionalUnlessRequiredId<T>[], { ordered: false });
    return { inserted: [...documents], duplicates: [] };
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    const failures = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as { index?: number; code?: number }[];
    if (failures.length === 0 || failures.some((f) => f.code !== 11000 || typeof f.index !== 'number')) throw error;
    const duplicate = new Set(failures.map((f) => f.index));
    return { inserted: documents.filter((_, i) => !duplicate.has(i)), duplicates: documents.filter((_, i) => duplicate.has(i)) };
  }
}
