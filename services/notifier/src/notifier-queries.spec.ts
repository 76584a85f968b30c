import mongoose, { Connection } from 'mongoose';
import { DeliveryReceipt, TicketEvent } from '@switchboard/contracts';
import { ContactRepository, MongoProcessedEventStore, NotificationRepository } from '@switchboard/persistence';
import { filtersOnIdAlone, MongoCommandRecorder, RecordedCommand, testInfra, uniqueName } from '@switchboard/testing';
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

/** Every statement on a growing collection, with a filter other than `{_id: <string>}`. */
function scans(commands: RecordedCommand[]): string[] {
  return commands.filter((c) => GROWING.includes(c.collection)).flatMap((c) => c.filters.filter((f) => !filtersOnIdAlone(f)).map((f) => `${c.name} ${c.collection} ${JSON.stringify(f)}`));
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
    // Compose: two counter reads, the insert, the counter's insert; each receipt: one read, one write.
    expect(commands.length).toBeLessThanOrEqual(4 + 3 * 2);
    expect(await notifications.find(notificationId)).toMatchObject({ status: 'delivered', deliveries: [{ status: 'queued' }, { status: 'sent' }, { status: 'delivered' }] });
  });

  it('composes a batch with one insert of its notifications and one of its counters, and folds its receipts into one write per notification', async () => {
    const events = Array.from({ length: 20 }, (_, i) => opened(200 + i));
    let ids: string[] = [];
    const composing = await recorder.during(async () => {
      ids = (await notify.executeBatch(events, new Date())).map(([o]) => o.notificationId);
    });
    expect(scans(composing)).toEqual([]);
    const writes = composing.filter((c) => c.name !== 'find').map((c) => `${c.name} ${c.collection}`);
    expect(writes).toEqual(['insert notifications', 'insert notification_send_counts']);
    // Reads only by `_id`: this hour's and the last hour's counter of each address.
    expect(composing.filter((c) => c.name === 'find')).toHaveLength(2 * events.length);

    const at = new Date();
    const receipts = ids.flatMap((id) => (['queued', 'sent', 'delivered'] as const).map((status) => ({ notificationId: id, record: { status, at, receiptId: `${id}-${status}` } })));
    const recording = await recorder.during(async () => {
      expect((await notifications.recordDeliveries(receipts)).size).toBe(ids.length);
      // Redelivered, the whole batch changes nothing.
      expect((await notifications.recordDeliveries(receipts)).size).toBe(ids.length);
    });
    expect(scans(recording)).toEqual([]);
    expect(recording.filter((c) => c.name === 'update')).toHaveLength(1);
    expect(recording.filter((c) => c.name === 'update')[0].filters).toHaveLength(ids.length);
    expect(recording.filter((c) => c.name === 'find')).toHaveLength(2 * ids.length);
    for (const id of ids) expect(await notifications.find(id)).toMatchObject({ status: 'delivered', deliveries: [{ status: 'queued' }, { status: 'sent' }, { status: 'delivered' }] });

    // A redelivered batch stores nothing new, counts nothing, and hands the same messages over.
    const again = await recorder.during(async () => {
      expect((await notify.executeBatch(events, new Date())).map(([o]) => o.notificationId)).toEqual(ids);
    });
    expect(scans(again)).toEqual([]);
    expect(again.filter((c) => c.collection === 'notification_send_counts' && c.name !== 'find')).toEqual([]);
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
