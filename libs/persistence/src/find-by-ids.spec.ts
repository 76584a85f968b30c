import mongoose, { Connection, mongo } from 'mongoose';
import { filtersOnIdsAlone, MongoCommandRecorder, testInfra, uniqueName } from '@switchboard/testing';
import { findByIds, IDS_PER_FIND } from './find-by-ids';

interface Doc extends mongo.Document {
  _id: string;
  n: number;
}

describe('findByIds against a real MongoDB-wire server', () => {
  const infra = testInfra();
  let connection: Connection;
  let collection: mongo.Collection<Doc>;
  let recorder: MongoCommandRecorder;

  beforeAll(async () => {
    connection = await mongoose.createConnection(infra.mongoUrl, { dbName: uniqueName('find_by_ids').replace(/-/g, '_'), monitorCommands: true }).asPromise();
    recorder = new MongoCommandRecorder(connection);
    const db = connection.db;
    if (!db) throw new Error('the connection opened without a database');
    collection = db.collection<Doc>('docs');
    await collection.insertMany(Array.from({ length: 1_200 }, (_, n) => ({ _id: `d-${n}`, n })));
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('returns the documents by id, leaves out ids with none, and asks once for a repeated id', async () => {
    let found = new Map<string, Doc>();
    const commands = await recorder.during(async () => {
      found = await findByIds(collection, ['d-7', 'd-1199', 'missing', 'd-7', 'd-0']);
    });
    expect([...found.keys()].sort()).toEqual(['d-0', 'd-1199', 'd-7']);
    expect(found.get('d-1199')).toEqual({ _id: 'd-1199', n: 1199 });
    expect(commands).toEqual([{ name: 'find', collection: 'docs', filters: [{ _id: { $in: ['d-7', 'd-1199', 'missing', 'd-0'] } }] }]);
  });

  it('reads a large set in chunks, each filtering on ids alone, with an optional projection', async () => {
    const ids = Array.from({ length: 1_100 }, (_, n) => `d-${n + 50}`);
    let found = new Map<string, Doc>();
    const commands = await recorder.during(async () => {
      found = await findByIds(collection, ids, { n: 1 });
    });
    expect(found.size).toBe(1_100);
    expect(found.get('d-1149')).toEqual({ _id: 'd-1149', n: 1149 });
    // One command a chunk: no getMore for the rest of a chunk.
    expect(commands).toHaveLength(Math.ceil(1_100 / IDS_PER_FIND));
    expect(commands.every((c) => c.name === 'find' && c.filters.every(filtersOnIdsAlone))).toBe(true);
  });

  it('sends nothing for no ids', async () => {
    const commands = await recorder.during(() => findByIds(collection, []));
    expect(commands).toEqual([]);
  });
});
