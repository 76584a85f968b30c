import mongoose, { Connection } from 'mongoose';
import { filtersOnIdAlone, MongoCommandRecorder, testInfra, uniqueName } from '@switchboard/testing';
import { SmsOptOutRepository } from './opt-out.repository';
import { SmsOutboxRepository } from './sms-outbox.repository';

describe('channel-sms outbox queries (a regression guard for FerretDB v1, which only hands `{_id}` filters to SQLite)', () => {
  const infra = testInfra();
  let connection: Connection;
  let recorder: MongoCommandRecorder;
  let outbox: SmsOutboxRepository;
  let optOuts: SmsOptOutRepository;

  beforeAll(async () => {
    connection = await mongoose.createConnection(infra.mongoUrl, { dbName: uniqueName('sms_queries').replace(/-/g, '_'), monitorCommands: true, autoIndex: false, autoCreate: false }).asPromise();
    recorder = new MongoCommandRecorder(connection);
    outbox = new SmsOutboxRepository(connection);
    optOuts = new SmsOptOutRepository(connection);
    await outbox.ensureIndexes();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('claims, sends, takes callbacks and gives a claim back by `_id` alone, writing once per callback that tells something', async () => {
    const now = new Date();
    const commands = await recorder.during(async () => {
      expect(await optOuts.isOptedOut('+6281300000001')).toBe(false);
      expect(await outbox.claim('n1', '+6281300000001', now)).toEqual({ claimed: true });
      expect(await outbox.markSent('n1', 'SM1', 'queued', now)).toMatchObject({ state: 'sent', messageSid: 'SM1' });
      await outbox.recordCallback('n1', 'SM1', 'sent', now);
      await outbox.recordCallback('n1', 'SM1', 'delivered', now);

      expect(await outbox.claim('n2', '+6281300000002', now)).toEqual({ claimed: true });
      await outbox.markRetry('n2', now);
      expect(await outbox.claim('n2', '+6281300000002', now)).toEqual({ claimed: true });
      // A callback for a claim whose create answer was lost: Twilio has it, so it is never sent again.
      await outbox.recordCallback('n2', 'SM2', 'sent', now);
      expect(await outbox.claim('n2', '+6281300000002', now)).toMatchObject({ claimed: false, existing: { state: 'sent', messageSid: 'SM2' } });
    });
    const statements = commands.flatMap((c) => c.filters.map((f) => ({ c, f })));
    expect(statements.filter(({ f }) => !filtersOnIdAlone(f)).map(({ c, f }) => `${c.name} ${c.collection} ${JSON.stringify(f)}`)).toEqual([]);
    // n1's second callback (delivered) reads and writes nothing new.
    expect(commands.filter((c) => c.name === 'update' && c.collection === 'sms_outbox')).toHaveLength(4);
    await optOuts.record('+6281300000001', true, 'STOP', 'SMx', now);
    expect(await optOuts.isOptedOut('+6281300000001')).toBe(true);
  });
});
