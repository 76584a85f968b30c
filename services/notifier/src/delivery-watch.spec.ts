import mongoose, { Connection } from 'mongoose';
import { DeliveryCheck, DeliveryReceipt, deterministicId } from '@switchboard/contracts';
import { EventPublisher, KafkaConnection } from '@switchboard/messaging';
import { NotificationDocument, NotificationRepository } from '@switchboard/persistence';
import { eventually, filtersOnIdsAlone, MongoCommandRecorder, testInfra, TopicReader, uniqueName } from '@switchboard/testing';
import { DeliveryCheckDispatcher } from './delivery-check-dispatcher';
import { DeliveryCheckRepository } from './delivery-check.repository';
import { DeliveryWatch } from './delivery-watch';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const MIN = 60_000;
const CHECKS = [10 * MIN, 60 * MIN, 360 * MIN];

/** The watch and the dispatcher against the real MongoDB-wire server and broker. */
describe('SMS delivery watch and checks', () => {
  const infra = testInfra();
  let mongo: Connection;
  let recorder: MongoCommandRecorder;
  let notifications: NotificationRepository;
  let checks: DeliveryCheckRepository;
  let kafka: KafkaConnection;
  let publisher: EventPublisher;
  let requests: TopicReader;
  let n = 0;

  beforeAll(async () => {
    mongo = await mongoose.createConnection(infra.mongoUrl, { dbName: uniqueName('sms_watch').replace(/-/g, '_'), monitorCommands: true }).asPromise();
    recorder = new MongoCommandRecorder(mongo);
    notifications = new NotificationRepository(mongo);
    checks = new DeliveryCheckRepository(mongo);
    await notifications.ensureIndexes();
    await checks.ensureIndexes();
    kafka = new KafkaConnection({ brokers: infra.kafkaBrokers, clientId: 'sms-watch-spec', topicPrefix: `${uniqueName('sms-watch')}.`, partitions: 2 }, quiet);
    await kafka.ensureTopics();
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    requests = await new TopicReader(infra.kafkaBrokers, kafka.topicName('delivery-checks')).start();
  });

  afterAll(async () => {
    await requests?.stop();
    await publisher?.disconnect();
    await mongo?.dropDatabase();
    await mongo?.close();
  });

  const receipt = (notificationId: string, status: DeliveryReceipt['status'], at: Date, channel: DeliveryReceipt['channel'] = 'sms'): DeliveryReceipt => ({
    schemaVersion: 1, eventId: deterministicId('delivery', notificationId, status), notificationId, channel, status,
    ...(channel === 'sms' ? { providerMessageId: `SM-${notificationId}` } : {}), occurredAt: at.toISOString(),
  });
  async function stored(status: NotificationDocument['status'], lastAt: Date, channel: NotificationDocument['channel'] = 'sms'): Promise<string> {
    const id = `w-${++n}-${Date.now()}`;
    await notifications.insertOnce({
      _id: id, ticketId: 't', kind: 'received', channel, contactKey: `${channel}::x${n}`, language: 'en', text: 'hi', status,
      ...(channel === 'sms' ? { providerMessageId: `SM-${id}` } : {}),
      deliveries: [{ status, at: lastAt, receiptId: `${id}-${status}` }], createdAt: lastAt, updatedAt: lastAt,
    });
    return id;
  }
  const requestsFor = (id: string) => requests.records.map((r) => JSON.parse(r.value ?? 'null') as DeliveryCheck).filter((c) => c.notificationId === id);

  it('judges a stretch whose messages all finished from the receipts alone: no database command at all', async () => {
    const at = new Date(Date.now() - 20 * MIN);
    const watch = new DeliveryWatch(kafka, notifications, checks, quiet, CHECKS);
    const stretch = ['a', 'b', 'c'].flatMap((id) => [receipt(id, 'queued', at), receipt(id, 'sent', at), receipt(id, id === 'c' ? 'undelivered' : 'delivered', at)]);
    const commands = await recorder.during(() => watch.judge(stretch, new Date()));
    expect(commands).toEqual([]);
  });

  it('watches only the SMS still not final in notifications, reading them by _id, and checks them stage by stage until final', async () => {
    const now = new Date();
    const stalled = await stored('queued', new Date(now.getTime() - 11 * MIN));
    const recent = await stored('sent', new Date(now.getTime() - 1 * MIN));
    const finishedLater = await stored('delivered', new Date(now.getTime() - 11 * MIN));
    const email = await stored('queued', new Date(now.getTime() - 11 * MIN), 'email');
    const watch = new DeliveryWatch(kafka, notifications, checks, quiet, CHECKS);
    const stretch = [stalled, recent, finishedLater].map((id) => receipt(id, 'queued', new Date(now.getTime() - 11 * MIN))).concat(receipt(email, 'queued', now, 'email'));

    const commands = await recorder.during(() => watch.judge(stretch, now));
    expect(commands.filter((c) => c.name === 'find').every((c) => c.filters.every(filtersOnIdsAlone))).toBe(true);
    expect(commands.map((c) => `${c.name} ${c.collection}`)).toEqual(['find notifications', 'insert notification_delivery_checks']);
    const watched = await checks.checks.find({}).toArray();
    expect(watched.map((w) => w._id).sort()).toEqual([stalled, recent].sort());
    // Watching again (a redelivered stretch) keeps the entries as they are.
    expect(await watch.judge(stretch, now)).toBe(0);

    const dispatcher = new DeliveryCheckDispatcher(notifications, checks, publisher, quiet, CHECKS, 60_000);
    expect(await dispatcher.dispatchDue(now)).toBe(1);
    const [first] = await eventually(() => (requestsFor(stalled).length > 0 ? requestsFor(stalled) : undefined));
    expect(first).toMatchObject({ eventId: deterministicId('delivery-check', stalled, '1'), channel: 'sms', check: 1, providerMessageId: `SM-${stalled}` });
    expect(requestsFor(recent)).toEqual([]);

    // Two hours on: the stalled one's second stage; the recent one missed its first two stages and is asked once.
    const later = new Date(now.getTime() + 2 * 60 * MIN);
    expect(await dispatcher.dispatchDue(later)).toBe(2);
    await eventually(() => (requestsFor(stalled).length === 2 && requestsFor(recent).length === 1 ? true : undefined));
    expect(requestsFor(recent)[0].check).toBe(2);

    // The check's receipt arrived for one; the other reaches its last stage, and both are forgotten.
    await notifications.recordDelivery(stalled, { status: 'delivered', at: later, receiptId: deterministicId('delivery', stalled, 'delivered') });
    expect(await dispatcher.dispatchDue(new Date(now.getTime() + 7 * 60 * MIN))).toBe(1);
    expect(await checks.checks.countDocuments({})).toBe(0);
    await eventually(() => (requestsFor(recent).length === 2 ? true : undefined));
    expect(requestsFor(recent)[1].check).toBe(3);
    expect(requestsFor(stalled)).toHaveLength(2);
  });

  it('reads deliveries a check delay behind and commits only what it judged (its memory across restarts)', async () => {
    const short = [400, 5_000];
    const lost = await stored('queued', new Date());
    const fine = await stored('delivered', new Date());
    const watch = new DeliveryWatch(kafka, notifications, checks, quiet, short);
    await watch.onApplicationBootstrap();
    try {
      await publisher.publishMany([receipt(lost, 'queued', new Date()), receipt(fine, 'queued', new Date()), receipt(fine, 'delivered', new Date())].map((event) => ({ topic: 'deliveries' as const, event, key: event.notificationId })));
      const entry = await eventually(async () => (await checks.checks.findOne({ _id: lost })) ?? undefined, 30_000);
      expect(entry).toMatchObject({ channel: 'sms', checksDone: 0, providerMessageId: `SM-${lost}` });
      expect(await checks.checks.countDocuments({ _id: fine })).toBe(0);
    } finally {
      await watch.onModuleDestroy();
    }
    const [committed] = await (async () => {
      const admin = kafka.kafka.admin();
      await admin.connect();
      try {
        return await admin.fetchOffsets({ groupId: kafka.topicName('notifier-delivery-watch'), topics: [kafka.topicName('deliveries')] });
      } finally {
        await admin.disconnect();
      }
    })();
    expect(committed.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)).toBe(3);
  });

  it('lets go of a held stretch at once on a stop, commits nothing of it, and the next instance judges it', async () => {
    const lost = await stored('queued', new Date());
    const patient = new DeliveryWatch(kafka, notifications, checks, quiet, [10 * MIN]);
    await patient.onApplicationBootstrap();
    await publisher.publish('deliveries', receipt(lost, 'queued', new Date()), { key: lost });
    await eventually(() => (patient.holding > 0 ? true : undefined), 30_000);
    // A ten-minute hold: the stop must not wait for it (the test's timeout would end first).
    await patient.onModuleDestroy();
    expect(await checks.checks.countDocuments({ _id: lost })).toBe(0);

    const next = new DeliveryWatch(kafka, notifications, checks, quiet, [300, 5_000]);
    await next.onApplicationBootstrap();
    try {
      await eventually(async () => (await checks.checks.findOne({ _id: lost })) ?? undefined, 30_000);
    } finally {
      await next.onModuleDestroy();
    }
  });
});
