import { mongo } from 'mongoose';

/**
 * Ids per `find`. deploy/local's FerretDB reads `{_id: {$in}}` by its index for up to 1,000
 * string ids (beyond that it falls back to reading the whole collection); MongoDB has no such
 * limit, but a 16 MB command does.
 */
export const IDS_PER_FIND = 500;

/**
 * The documents with these `_id`s, by id (an id with no document is absent), in one `find` per
 * IDS_PER_FIND ids: a batch's reads cost one round trip where one `findOne` each cost one each.
 */
export async function findByIds<T extends mongo.Document & { _id: string }>(
  collection: mongo.Collection<T>,
  ids: Iterable<string>,
  projection?: mongo.Document,
): Promise<Map<string, T>> {
  const unique = [...new Set(ids)];
  const found = new Map<string, T>();
  for (let start = 0; start < unique.length; start += IDS_PER_FIND) {
    const chunk = unique.slice(start, start + IDS_PER_FIND);
    const filter = { _id: { $in: chunk } } as mongo.Filter<T>;
    // The whole chunk in the first reply (the driver's default first batch is 101 documents), and
    // room for one more, so the server closes the cursor at once instead of waiting for a getMore.
    const documents = await collection.find(filter, { batchSize: chunk.length + 1, ...(projection ? { projection } : {}) }).toArray();
    for (const document of documents) found.set(document._id as string, document as T);
  }
  return found;
}
