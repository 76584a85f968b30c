import mongoose, { Connection } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeliveryReceipt, TicketEvent } from '@switchboard/contracts';
import { EventConsumer, EventPublisher, KafkaConnection } from '@switchboard/messaging';
import { ContactRepository, NotificationRepository } from '@switchboard/persistence';
import { eventually, MongoCommandRecorder, testInfra, uniqueName } from '@switchboard/testing';
import { DeliverOrRetryUseCase } from './deliver-or-retry.use-case';
import { DeliveryReceiptsHandler, RECEIPT_BATCH_SIZE } from './delivery-receipts.handler';
import { FallBackChannelUseCase } from './fall-back-channel.use-case';
import { NotifyCustomerUseCase } from './notify-customer.use-case';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function opened(n: number): TicketEvent {
  const phone = `+62814${String(n).padStart(8, '0')}`;
  return {
    schemaVersion: 1,
    eventId: `opened-${n}`,
    type: 'ticket.opened',
    ticket: {
      id: `ticket-${n}`, number: n, status: 'open', category: 'login', confidence: 0.9, triage: false, queue: 'access', priority: 40, language: 'en', urgency: [],
      channel: 'sms', contact: { channel: 'sms', address: phone, provider: 'twilio' }, contactKey: `sms:twilio:${phone}`, openedAt: '2026-11-29T08:00:00.000Z',
    },
    messageId: `m-${n}`,
    message: { channel: 'sms', providerMessageId: `SM${n}`, autoSubmitted: false },
    causationId: `m-${n}`,
    occurredAt: '2026-11-29T08:00:00.000Z',
  };
}

const receipt = (notificationId: string, status: DeliveryReceipt['status'], code?: string): DeliveryReceipt => ({
  schemaVersion: 1, eventId: `${notificationId}-${status}`, notificationId, channel: 'sms', status, providerMessageId: `SM-${notificationId}`,
  ...(code ? { error: { code, message: 'carrier trouble' } } : {}), occurredAt: new Date().toISOString(),
});

/**
 * The receipts consumer as the notifier runs it (EventConsumer, the real broker and MongoDB-wire
 * server), with and without the fold window. Receipts come one produce request at a time, as
 * channel-sms's status callbacks send them.
 */
describe('DeliveryReceiptsHandler: the fold window', () => {
  const infra = testInfra();
  let mongo: Connection;
  let recorder: MongoCommandRecorder;
  let notifications: NotificationRepository;
  let notify: NotifyCustomerUseCase;
  let kafka: KafkaConnection;
  let publisher: EventPublisher;
  let consumer: EventConsumer<'deliveries'> | undefined;
  let next = 1;

  beforeAll(async () => {
    mongo = await mongoose.createConnection(infra.mongoUrl, { dbName: uniqueName('receipt_fold').replace(/-/g, '_'), monitorCommands: true }).asPromise();
    recorder = new MongoCommandRecorder(mongo);
    notifications = new NotificationRepository(mongo);
    await notifications.ensureIndexes();
    notify = new NotifyCustomerUseCase(notifications, { defaultLanguage: 'en', maxPerContactPerHour: 20 });
  });

  beforeEach(async () => {
    // One partition: every receipt below shares it, so the order of fetches is what the test sets up.
    kafka = new KafkaConnection({ brokers: infra.kafkaBrokers, clientId: 'spec', topicPrefix: `${uniqueName('fold')}.`, partitions: 1 }, quiet);
    await kafka.ensureTopics();
    publisher = new EventPublisher(kafka);
  });

  afterEach(async () => {
    await consumer?.stop();
    await publisher.disconnect();
  });

  afterAll(async () => {
    await mongo.dropDatabase();
    await mongo.close();
  });

  async function start(foldMs: number, retryDelaysMs: number[] = [60_000]): Promise<void> {
    const failures = new DeliverOrRetryUseCase(notifications, new FallBackChannelUseCase(notifications, new ContactRepository(mongo)), retryDelaysMs);
    const handler = new DeliveryReceiptsHandler(notifications, failures, publisher, quiet);
    consumer = new EventConsumer(
      kafka,
      publisher,
      { groupId: 'notifier-deliveries', topic: 'deliveries', processed: undefined, maxBatchSize: RECEIPT_BATCH_SIZE, minFetchIntervalMs: foldMs, handleBatch: (items) => handler.handleBatch(items) },
      quiet,
    );
    await consumer.start();
  }

  const newNotification = async () => (await notify.execute(opened(next++), new Date()))[0].notificationId;
  const publish = (r: DeliveryReceipt) => publisher.publish('deliveries', r, { key: r.notificationId });
  const statusOf = async (id: string) => (await notifications.find(id))?.status;
  const updatesOf = (commands: Awaited<ReturnType<MongoCommandRecorder['during']>>, id: string) =>
    commands.filter((c) => c.name === 'update' && c.collection === 'notifications').flatMap((c) => c.filters).filter((f) => f._id === id).length;

  /**
   * A first notification's `sent` is stored, so its batch's window is open; then the second one's
   * `sent` and, 200 ms later, its `delivered`, each in a produce request of its own.
   */
  async function sentThenDelivered(): Promise<{ second: string; commands: Awaited<ReturnType<MongoCommandRecorder['during']>> }> {
    const first = await newNotification();
    const second = await newNotification();
    const commands = await recorder.during(async () => {
      await publish(receipt(first, 'sent'));
      await eventually(async () => (await statusOf(first)) === 'sent', 20_000);
      await publish(receipt(second, 'sent'));
      await sleep(200);
      await publish(receipt(second, 'delivered'));
      await eventually(async () => (await statusOf(second)) === 'delivered', 20_000);
    });
    return { second, commands };
  }

  it('stores a notification’s sent and delivered receipts with one update when both come within the window, keeping both', async () => {
    await start(2_000);
    const { second, commands } = await sentThenDelivered();
    expect(updatesOf(commands, second)).toBe(1);
    const stored = await notifications.find(second);
    expect(stored?.deliveries.map((d) => d.status)).toEqual(['sent', 'delivered']);
    expect(stored).toMatchObject({ status: 'delivered', providerMessageId: `SM-${second}` });
  });

  it('without the window, the same receipts cost an update each', async () => {
    await start(0);
    const { second, commands } = await sentThenDelivered();
    expect(updatesOf(commands, second)).toBe(2);
    expect((await notifications.find(second))?.deliveries.map((d) => d.status)).toEqual(['sent', 'delivered']);
  });

  it('follows up a failed receipt (a retry on the same channel) within the window, and stores it', async () => {
    await start(2_000);
    const first = await newNotification();
    const failed = await newNotification();
    await publish(receipt(first, 'sent'));
    await eventually(async () => (await statusOf(first)) === 'sent', 20_000);
    // Arrives while the first batch's window is open: waits for it, then is followed up.
    await publish(receipt(failed, 'failed', '30008'));
    const retry = await eventually(async () => (await notifications.pendingRetries.find({ retryOf: failed }).toArray())[0], 20_000);
    expect(retry).toMatchObject({ retry: 1, outbound: { channel: 'sms', notificationId: retry._id, text: (await notifications.find(failed))?.text } });
    expect(await notifications.find(failed)).toMatchObject({ status: 'failed', errorCode: '30008' });
  });
});
