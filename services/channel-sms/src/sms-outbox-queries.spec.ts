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
    const claim = async (notificationId: string, to: string) => (await outbox.claimMany([{ notificationId, to }], now)).get(notificationId);
    const commands = await recorder.during(async () => {
      expect(await optOuts.isOptedOut('+6281300000001')).toBe(false);
      expect(await claim('n1', '+6281300000001')).toEqual({ claimed: true });
      expect(await outbox.markSentMany([{ notificationId: 'n1', messageSid: 'SM1', createStatus: 'queued' }], now)).toEqual(new Map([['n1', false]]));
      await outbox.recordCallback('n1', 'SM1', 'sent', now);
      await outbox.recordCallback('n1', 'SM1', 'delivered', now);

      expect(await claim('n2', '+6281300000002')).toEqual({ claimed: true });
      await outbox.markRetry('n2', now);
      expect(await claim('n2', '+6281300000002')).toEqual({ claimed: true });
      // A callback for a claim whose create answer was lost: Twilio has it, so it is never sent again.
      await outbox.recordCallback('n2', 'SM2', 'sent', now);
      expect(await claim('n2', '+6281300000002')).toMatchObject({ claimed: false, existing: { state: 'sent', messageSid: 'SM2' } });
    });
    const statements = commands.flatMap((c) => c.filters.map((f) => ({ c, f })));
    expect(statements.filter(({ f }) => !filtersOnIdAlone(f)).map(({ c, f }) => `${c.name} ${c.collection} ${JSON.stringify(f)}`)).toEqual([]);
    // The sent record, n1's first callback, n2's re-claim, its retry and its healing callback;
    // n1's second callback (delivered) reads and writes nothing new.
    expect(commands.filter((c) => c.name === 'update' && c.collection === 'sms_outbox')).toHaveLength(5);
    await optOuts.record('+6281300000001', true, 'STOP', 'SMx', now);
    expect(await optOuts.isOptedOut('+6281300000001')).toBe(true);
  });

  it('claims a batch with one insert and records its sent messages in update commands of at most 25 statements, by `_id` alone', async () => {
    const now = new Date();
    const claims = Array.from({ length: 60 }, (_, i) => ({ notificationId: `b${i}`, to: `+62813000010${String(i).padStart(2, '0')}` }));
    await outbox.claimMany([claims[3]], now);
    await outbox.markSentMany([{ notificationId: 'b3', messageSid: 'SMb3', createStatus: 'queued' }], now);
    await outbox.recordCallback('b4', 'SMb4', 'sent', now); // no record yet: ignored
    const commands = await recorder.during(async () => {
      const result = await outbox.claimMany(claims, now);
      expect([...result.values()].filter((c) => c.claimed)).toHaveLength(59);
      expect(result.get('b3')).toMatchObject({ claimed: false, existing: { state: 'sent' } });
      const sent = claims.filter((c) => c.notificationId !== 'b3').map((c) => ({ notificationId: c.notificationId, messageSid: `SM${c.notificationId}`, createStatus: 'queued' }));
      const callbackFirst = await outbox.markSentMany(sent, now);
      expect([...callbackFirst.values()].some(Boolean)).toBe(false);
      expect(await optOuts.optedOutAmong(claims.map((c) => c.to))).toEqual(new Set());
    });
    const statements = commands.flatMap((c) => c.filters.map((f) => ({ c, f })));
    expect(statements.filter(({ f }) => !filtersOnIdAlone(f)).map(({ c, f }) => `${c.name} ${c.collection} ${JSON.stringify(f)}`)).toEqual([]);
    expect(commands.filter((c) => c.name === 'insert' && c.collection === 'sms_outbox')).toHaveLength(1);
    // At most 25 statements per command: FerretDB v1 holds a pool connection per statement until the command ends.
    const updates = commands.filter((c) => c.name === 'update' && c.collection === 'sms_outbox');
    expect(updates.map((u) => u.filters.length)).toEqual([25, 25, 9]);
    expect(await outbox.model.findById('b7').lean()).toMatchObject({ state: 'sent', messageSid: 'SMb7' });
  });
});
