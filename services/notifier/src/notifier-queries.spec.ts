import mongoose, { Connection } from 'mongoose';
import { DeliveryReceipt, TicketEvent } from '@switchboard/contracts';
import { ContactRepository, MongoProcessedEventStore, NotificationRepository } from '@switchboard/persistence';
import { filtersOnIdsAlone, MongoCommandRecorder, RecordedCommand, testInfra, uniqueName } from '@switchboard/testing';
import { DeliverOrRetryUseCase } from './deliver-or-retry.use-case';
import { FallBackChannelUseCase } from './fall-back-channel.use-case';
import { NotifyCustomerUseCase } from './notify-customer.use-case';

/** Collections that grow with every message: what FerretDB v1 would scan whole for any filter but `{_id}`. */
const GROWING = ['notifications', 'notification_send_counts', 'processed_events'];

function opened(n: number): TicketEvent {
  const phone = `+62813${String(n).padStart(8, '0')}`;
  return {
    schemaVersion: 1,
    eventId: `opened-${n}`,
    type: 'ticket.opened',
    ticket: {
      id: `ticket-${n}`, number: n, status: 'open', category: 'login', confidence: 0.9, triage: false, queue: 'access', priority: 40, language: 'en', urgency: [],
      channel: 'sms', contact: { channel: 'sms', address: phone, provider: 'twilio' }, contactKey: `sms:twilio:${phone}`, personId: `person-${n}`, openedAt: '2026-11-29T08:00:00.000Z',
    },
    messageId: `m-${n}`,
    message: { channel: 'sms', providerMessageId: `SM${n}`, autoSubmitted: false },
    causationId: `m-${n}`,
    occurredAt: '2026-11-29T08:00:00.000Z',
  };
}

const receipt = (notificationId: string, status: DeliveryReceipt['status'], code?: string): DeliveryReceipt => ({
  schemaVersion: 1, eventId: `${notificationId}-${status}-${code ?? ''}`, notificationId, channel: 'sms', status, providerMessageId: 'SM1', ...(code ? { error: { code, message: 'x' } } : {}), occurredAt: new Date().toISOString(),
});

/** Every statement on a growing collection, with a filter other than `{_id: <string>}` or `{_id: {$in: [<string>...]}}`. */
function scans(commands: RecordedCommand[]): string[] {
  return commands.filter((c) => GROWING.includes(c.collection)).flatMap((c) => c.filters.filter((f) => !filtersOnIdsAlone(f)).map((f) => `${c.name} ${c.collection} ${JSON.stringify(f)}`));
}

describe('the notifier’s per-message queries (a regression guard for FerretDB v1, which only hands `{_id}` filters to SQLite)', () => {
  const infra = testInfra();
  let connection: Connection;
  let recorder: MongoCommandRecorder;
  let notifications: NotificationRepository;
  let notify: NotifyCustomerUseCase;
  let failures: DeliverOrRetryUseCase;
  let processed: MongoProcessedEventStore;

  beforeAll(async () => {
    connection = await mongoose.createConnection(infra.mongoUrl, { dbName: uniqueName('notifier_queries').replace(/-/g, '_'), monitorCommands: true, autoIndex: false, autoCreate: false }).asPromise();
    recorder = new MongoCommandRecorder(connection);
    notifications = new NotificationRepository(connection);
    await notifications.ensureIndexes();
    notify = new NotifyCustomerUseCase(notifications, { defaultLanguage: 'en', maxPerContactPerHour: 20 });
    failures = new DeliverOrRetryUseCase(notifications, new FallBackChannelUseCase(notifications, new ContactRepository(connection)), [1_000]);
    processed = new MongoProcessedEventStore(connection);
    // Something already there, as in any running system.
    for (let n = 1; n <= 5; n++) await notify.execute(opened(n), new Date());
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('composes and stores a notification, and records its receipts, by `_id` alone', async () => {
    let notificationId = '';
    const commands = await recorder.during(async () => {
      [{ notificationId }] = await notify.execute(opened(100), new Date());
      for (const status of ['queued', 'sent', 'delivered'] as const) {
        expect(await notifications.recordDelivery(notificationId, { status, at: new Date(), receiptId: `${notificationId}-${status}` })).toBe(true);
      }
    });
    expect(scans(commands)).toEqual([]);
    // Compose: one read of both counters, the insert, the counter's insert; each receipt: one read, one write.
    expect(commands.length).toBeLessThanOrEqual(3 + 3 * 2);
    expect(await notifications.find(notificationId)).toMatchObject({ status: 'delivered', deliveries: [{ status: 'queued' }, { status: 'sent' }, { status: 'delivered' }] });
  });

  /** Read commands by collection, e.g. `{ notifications: 1 }`. */
  const readsByCollection = (commands: RecordedCommand[]) => {
    const reads: Record<string, number> = {};
    for (const c of commands.filter((c) => c.name === 'find')) reads[c.collection] = (reads[c.collection] ?? 0) + 1;
    return reads;
  };

  it.each([20, 150])('composes a batch of %i with one read of each collection, one insert of its notifications and one of its counters, and folds its receipts into one read and one write per notification', async (size) => {
    const first = size === 20 ? 200 : 1_000;
    const events = Array.from({ length: size }, (_, i) => opened(first + i));
    let ids: string[] = [];
    const composing = await recorder.during(async () => {
      ids = (await notify.executeBatch(events, new Date())).map(([o]) => o.notificationId);
    });
    expect(scans(composing)).toEqual([]);
    const writes = composing.filter((c) => c.name !== 'find').map((c) => `${c.name} ${c.collection}`);
    expect(writes).toEqual(['insert notifications', 'insert notification_send_counts']);
    // Whatever the batch's size: one `$in` read of this hour's and the last hour's counter of every address.
    expect(readsByCollection(composing)).toEqual({ notification_send_counts: 1 });

    const at = new Date();
    const receipts = ids.flatMap((id) => (['queued', 'sent', 'delivered'] as const).map((status) => ({ notificationId: id, record: { status, at, receiptId: `${id}-${status}` } })));
    const recording = await recorder.during(async () => {
      expect((await notifications.recordDeliveries(receipts)).size).toBe(ids.length);
      // Redelivered, the whole batch changes nothing.
      expect((await notifications.recordDeliveries(receipts)).size).toBe(ids.length);
    });
    expect(scans(recording)).toEqual([]);
    const updates = recording.filter((c) => c.name === 'update');
    // At most 25 statements a command (FerretDB v1 holds a pool connection per statement until the command ends), one per notification.
    expect(updates.map((u) => u.filters.length).reduce((a, b) => a + b, 0)).toBe(ids.length);
    expect(updates).toHaveLength(Math.ceil(ids.length / 25));
    // One read per call, not one per notification.
    expect(readsByCollection(recording)).toEqual({ notifications: 2 });
    for (const [id, stored] of await notifications.findMany(ids)) expect({ id, stored }).toMatchObject({ id, stored: { status: 'delivered', deliveries: [{ status: 'queued' }, { status: 'sent' }, { status: 'delivered' }] } });

    // A redelivered batch stores nothing new, counts nothing, and hands the same messages over: one read of the notifications it finds stored.
    const again = await recorder.during(async () => {
      expect((await notify.executeBatch(events, new Date())).map(([o]) => o.notificationId)).toEqual(ids);
    });
    expect(scans(again)).toEqual([]);
    expect(again.filter((c) => c.collection === 'notification_send_counts' && c.name !== 'find')).toEqual([]);
    expect(readsByCollection(again)).toEqual({ notification_send_counts: 1, notifications: 1 });
  });

  it('reads a batch’s failed notifications together before following each up', async () => {
    const sent = await notify.executeBatch([opened(300), opened(301), opened(302)], new Date());
    const ids = sent.map(([o]) => o.notificationId);
    const retries: string[] = [];
    const commands = await recorder.during(async () => {
      const stored = await notifications.findMany([...ids, 'no-such-notification']);
      expect([...stored.keys()].sort()).toEqual([...ids].sort());
      for (const id of ids) {
        const next = await failures.execute(receipt(id, 'failed', '30008'), new Date(), stored.get(id));
        if (next.kind !== 'retry-scheduled') throw new Error(`expected a retry, got ${next.kind}`);
        retries.push(next.notificationId);
      }
    });
    expect(scans(commands)).toEqual([]);
    expect(readsByCollection(commands)).toEqual({ notifications: 1 });
    for (const id of retries) await notifications.markDispatched(id, new Date()); // out of the waiting room the next test looks at
  });

  it('records a redelivered receipt once, and a redelivered ticket event stores nothing new', async () => {
    const [{ notificationId }] = await notify.execute(opened(101), new Date());
    const sent = { status: 'sent' as const, at: new Date(), receiptId: 'r-sent-101' };
    const commands = await recorder.during(async () => {
      await notifications.recordDelivery(notificationId, sent);
      await notifications.recordDelivery(notificationId, sent);
      expect(await notify.execute(opened(101), new Date())).toHaveLength(1);
    });
    expect(scans(commands)).toEqual([]);
    expect((await notifications.find(notificationId))?.deliveries).toHaveLength(1);
  });

  it('schedules, finds and dispatches a retry without reading `notifications` by anything but `_id`', async () => {
    const [{ notificationId }] = await notify.execute(opened(102), new Date());
    const t0 = new Date();
    const commands = await recorder.during(async () => {
      const next = await failures.execute(receipt(notificationId, 'failed', '30008'), t0);
      if (next.kind !== 'retry-scheduled') throw new Error(`expected a retry, got ${next.kind}`);
      expect(await notifications.dueRetries(t0, 10)).toEqual([]);
      const due = await notifications.dueRetries(new Date(t0.getTime() + 1_000), 10);
      expect(due.map((r) => r._id)).toEqual([next.notificationId]);
      await notifications.markDispatched(next.notificationId, new Date());
      expect(await notifications.dueRetries(new Date(t0.getTime() + 1_000), 10)).toEqual([]);
      // A redelivered failure receipt neither stores the retry again nor puts it back in the waiting room.
      await failures.execute(receipt(notificationId, 'failed', '30008'), t0);
      expect(await notifications.dueRetries(new Date(t0.getTime() + 1_000), 10)).toEqual([]);
    });
    expect(scans(commands)).toEqual([]);
    expect(commands.filter((c) => c.collection === 'notification_retries' && c.name === 'find')).toHaveLength(4);
  });

  it('checks a new event against the processed-event store with one insert and no lookup', async () => {
    const commands = await recorder.during(async () => {
      expect(await processed.has('notifier', 'e-new')).toBe(false);
      await processed.mark('notifier', 'e-new');
    });
    expect(commands.map((c) => `${c.name} ${c.collection}`)).toEqual(['insert processed_events', 'insert processed_events']);
    // Redelivered: handled before, or interrupted before the mark.
    expect(await processed.has('notifier', 'e-new')).toBe(true);
    expect(await processed.has('notifier', 'e-interrupted')).toBe(false);
    expect(await processed.has('notifier', 'e-interrupted')).toBe(false);
  });
});
