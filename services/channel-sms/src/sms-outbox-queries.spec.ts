import mongoose, { Connection } from 'mongoose';
import { filtersOnIdsAlone, MongoCommandRecorder, RecordedCommand, testInfra, uniqueName } from '@switchboard/testing';
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

  it('claims, sends, takes callbacks and gives a claim back by `_id` alone, updating only a claim given back and taken again', async () => {
    const now = new Date();
    const claim = async (notificationId: string, to: string) => (await outbox.claimMany([{ notificationId, to }], now)).get(notificationId);
    const commands = await recorder.during(async () => {
      expect(await optOuts.isOptedOut('+6281300000001')).toBe(false);
      expect(await claim('n1', '+6281300000001')).toEqual({ claimed: true, attempts: 1 });
      expect(await outbox.markSentMany([{ notificationId: 'n1', to: '+6281300000001', attempts: 1, messageSid: 'SM1', createStatus: 'queued' }], now)).toEqual(new Map([['n1', false]]));
      await outbox.recordCallback('n1', 'SM1', 'sent', now);
      await outbox.recordCallback('n1', 'SM1', 'delivered', now);

      expect(await claim('n2', '+6281300000002')).toEqual({ claimed: true, attempts: 1 });
      await outbox.markRetry('n2', now);
      expect(await claim('n2', '+6281300000002')).toEqual({ claimed: true, attempts: 2 });
      // A callback for a claim whose create answer was lost: Twilio has it, so it is never sent again.
      await outbox.recordCallback('n2', 'SM2', 'sent', now);
      expect(await claim('n2', '+6281300000002')).toMatchObject({ claimed: false, existing: { state: 'sent', messageSid: 'SM2', attempts: 2 } });
      // The create answer stored after that callback: a duplicate, which says the callback came first.
      expect(await outbox.markSentMany([{ notificationId: 'n2', to: '+6281300000002', attempts: 2, messageSid: 'SM2', createStatus: 'queued' }], now)).toEqual(new Map([['n2', true]]));
    });
    const statements = commands.flatMap((c) => c.filters.map((f) => ({ c, f })));
    expect(statements.filter(({ f }) => !filtersOnIdsAlone(f)).map(({ c, f }) => `${c.name} ${c.collection} ${JSON.stringify(f)}`)).toEqual([]);
    // Outcomes are inserted, never updated: n1's sent record, n2's healed one (its late create answer a duplicate).
    expect(commands.filter((c) => c.name === 'update' && c.collection === 'sms_outbox')).toHaveLength(0);
    expect(commands.filter((c) => c.name === 'insert' && c.collection === 'sms_outbox')).toHaveLength(3);
    // Only n2's claim given back and taken again updates its claim; n1's callbacks, after its sent record, write nothing.
    expect(commands.filter((c) => c.name === 'update' && c.collection === 'sms_claims')).toHaveLength(2);
    expect(await outbox.stateOf('n1')).toMatchObject({ state: 'sent', messageSid: 'SM1', createStatus: 'queued', attempts: 1 });
    await optOuts.record('+6281300000001', true, 'STOP', 'SMx', now);
    expect(await optOuts.isOptedOut('+6281300000001')).toBe(true);
  });

  it('never sends again what was recorded before claims had a collection of their own (one `sms_outbox` record held both)', async () => {
    const now = new Date();
    const legacy = (id: string, state: string) => ({ _id: id, to: '+6281300000099', state, attempts: 1, ...(state === 'sent' ? { messageSid: `SM${id}`, createStatus: 'queued' } : {}), createdAt: now, updatedAt: now });
    await connection.collection('sms_outbox').insertMany([legacy('old-sent', 'sent'), legacy('old-sending', 'sending'), legacy('old-retry', 'retry')] as never[]);
    const result = await outbox.claimMany(['old-sent', 'old-sending', 'old-retry', 'new'].map((notificationId) => ({ notificationId, to: '+6281300000099' })), now);
    expect(result.get('old-sent')).toMatchObject({ claimed: false, existing: { state: 'sent', messageSid: 'SMold-sent' } });
    expect(result.get('old-sending')).toMatchObject({ claimed: false, existing: { state: 'sending' } });
    // Given back before: claimed now, and its old record gone, so the outcome can be stored.
    expect(result.get('old-retry')).toEqual({ claimed: true, attempts: 2 });
    expect(result.get('new')).toEqual({ claimed: true, attempts: 1 });
    expect(await outbox.markSentMany([{ notificationId: 'old-retry', to: '+6281300000099', attempts: 2, messageSid: 'SMr', createStatus: 'queued' }], now)).toEqual(new Map([['old-retry', false]]));
    expect(await outbox.stateOf('old-retry')).toMatchObject({ state: 'sent', attempts: 2, messageSid: 'SMr' });
  });

  /** Read commands by collection, e.g. `{ sms_outbox: 2 }`. */
  const readsByCollection = (commands: RecordedCommand[]) => {
    const reads: Record<string, number> = {};
    for (const c of commands.filter((c) => c.name === 'find')) reads[c.collection] = (reads[c.collection] ?? 0) + 1;
    return reads;
  };
  const notOnIds = (commands: RecordedCommand[]) =>
    commands.flatMap((c) => c.filters.map((f) => ({ c, f }))).filter(({ f }) => !filtersOnIdsAlone(f)).map(({ c, f }) => `${c.name} ${c.collection} ${JSON.stringify(f)}`);

  it.each([60, 180])('handles a batch of %i with one read of each collection per step, one insert of its claims, and updates of at most 25 statements, by `_id` alone', async (size) => {
    const now = new Date();
    const p = `s${size}-`;
    const claims = Array.from({ length: size }, (_, i) => ({ notificationId: `${p}${i}`, to: `+6281300${String(size).padStart(3, '0')}${String(i).padStart(3, '0')}` }));
    await outbox.claimMany([claims[3]], now);
    await outbox.markSentMany([{ notificationId: `${p}3`, to: claims[3].to, attempts: 1, messageSid: `SM${p}3`, createStatus: 'queued' }], now);
    await outbox.claimMany([claims[5]], now);
    await outbox.markRetry(`${p}5`, now);
    await outbox.recordCallback(`${p}4`, `SM${p}4`, 'sent', now); // no record yet: ignored
    await optOuts.record(claims[7].to, true, 'STOP', 'SMx', now);
    const commands = await recorder.during(async () => {
      expect(await optOuts.optedOutAmong(claims.map((c) => c.to))).toEqual(new Set([claims[7].to]));
      const result = await outbox.claimMany(claims, now);
      // A redelivery of a sent one is not claimed; one given back (`retry`) is claimed again.
      expect([...result.values()].filter((c) => c.claimed)).toHaveLength(size - 1);
      expect(result.get(`${p}3`)).toMatchObject({ claimed: false, existing: { state: 'sent' } });
      expect(result.get(`${p}5`)).toEqual({ claimed: true, attempts: 2 });
      const sent = claims.filter((c) => c.notificationId !== `${p}3`).map((c) => ({ notificationId: c.notificationId, to: c.to, attempts: c.notificationId === `${p}5` ? 2 : 1, messageSid: `SM${c.notificationId}`, createStatus: 'queued' }));
      const callbackFirst = await outbox.markSentMany(sent, now);
      expect([...callbackFirst.values()].some(Boolean)).toBe(false);
      await outbox.recordCallbacks(sent.map((s) => ({ notificationId: s.notificationId, messageSid: s.messageSid, status: 'delivered' })), now);
      await outbox.markRetryMany(sent.map((s) => s.notificationId), now); // all sent meanwhile: nothing to give back
    });
    expect(notOnIds(commands)).toEqual([]);
    // One insert of the claims, one of the sent records, whatever the batch's size.
    expect(commands.filter((c) => c.name === 'insert' && c.collection === 'sms_claims')).toHaveLength(1);
    expect(commands.filter((c) => c.name === 'insert' && c.collection === 'sms_outbox')).toHaveLength(1);
    // Whatever the batch's size: opt-outs once; the redelivered claims and their outcomes; the callbacks' outcomes, the retries'.
    expect(readsByCollection(commands)).toEqual({ sms_opt_outs: 1, sms_claims: 1, sms_outbox: 3 });
    // No sent record is an update; the one claim given back and taken again is the only update statement.
    expect(commands.filter((c) => c.name === 'update' && c.collection === 'sms_outbox')).toEqual([]);
    const updates = commands.filter((c) => c.name === 'update' && c.collection === 'sms_claims');
    expect(updates.map((u) => u.filters.length).reduce((a, b) => a + b, 0)).toBe(1);
    expect(await outbox.stateOf(`${p}7`)).toMatchObject({ state: 'sent', messageSid: `SM${p}7` });
    expect(await outbox.stateOf(`${p}5`)).toMatchObject({ state: 'sent', attempts: 2 });
  });
});
