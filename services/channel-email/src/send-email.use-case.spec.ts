import mongoose, { Connection } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import { DeliveryReceipt, OutboundMessage } from '@switchboard/contracts';
import { EventPublisher, KafkaConnection } from '@switchboard/messaging';
import { loadEnv } from '@switchboard/service-kit';
import { filtersOnIdsAlone, freePort, MongoCommandRecorder, SmtpSink, testInfra, TopicReader, uniqueName } from '@switchboard/testing';
import { emailEnvSchema } from './email.config';
import { EmailOutboxRepository } from './email-outbox.repository';
import { EmailTransport } from './email-transport';
import { SendEmailUseCase } from './send-email.use-case';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
const logger = new PinoLogger({ pinoHttp: { level: 'silent' } });

const outbound = (notificationId: string, address: string): OutboundMessage => ({
  schemaVersion: 1,
  eventId: `event-${notificationId}`,
  notificationId,
  kind: 'acknowledgement',
  ticketId: 'ticket-1',
  ticketNumber: 31,
  channel: 'email',
  contact: { channel: 'email', address },
  contactKey: `email::${address}`,
  language: 'id',
  text: 'Nomor tiket Anda #31.',
  subject: 'Pesan Anda sudah kami terima [SB-31]',
  automatic: true,
  createdAt: '2026-11-29T12:00:00.000Z',
});

describe('SendEmailUseCase against a real relay, broker and database', () => {
  const infra = testInfra();
  const prefix = `${uniqueName('send-email')}.`;
  const sink = new SmtpSink();
  let connection: Connection;
  let outbox: EmailOutboxRepository;
  let kafka: KafkaConnection;
  let publisher: EventPublisher;
  let deliveries: TopicReader;
  const transports: EmailTransport[] = [];

  const useCase = (relayUrl: string) => {
    const env = loadEnv(emailEnvSchema, { EMAIL_SMTP_URL: relayUrl });
    const transport = new EmailTransport(env);
    transports.push(transport);
    return new SendEmailUseCase(env, outbox, transport, publisher, logger);
  };

  beforeAll(async () => {
    await sink.start();
    connection = await mongoose.createConnection(infra.mongoUrl, { dbName: prefix.replace(/[-.]/g, '_'), monitorCommands: true }).asPromise();
    outbox = new EmailOutboxRepository(connection);
    await outbox.ensureIndexes();
    kafka = new KafkaConnection({ brokers: infra.kafkaBrokers, clientId: 'send-email-spec', topicPrefix: prefix, partitions: 1 }, quiet);
    await kafka.ensureTopics();
    publisher = new EventPublisher(kafka);
    deliveries = await new TopicReader(infra.kafkaBrokers, kafka.topicName('deliveries')).start();
  });

  const receipt = async (notificationId: string, status: string) =>
    JSON.parse((await deliveries.waitFor((r) => r.value?.includes(notificationId) === true && r.value.includes(`"status":"${status}"`))).value ?? '') as DeliveryReceipt;

  afterAll(async () => {
    for (const transport of transports) transport.onApplicationShutdown();
    await deliveries?.stop();
    await publisher?.disconnect();
    await connection?.dropDatabase();
    await connection?.close();
    await sink.stop();
  });

  it('leaves a temporary refusal (4xx) to the consumer’s retry, then sends once', async () => {
    const send = useCase(sink.url);
    sink.failRecipient('busy@mail.test', 452, '4.2.2 mailbox full, try later');
    await expect(send.execute(outbound('n-busy', 'busy@mail.test'))).rejects.toMatchObject({ responseCode: 452 });
    expect(await outbox.model.findById('n-busy').lean()).toMatchObject({ status: 'retry', attempts: 1, error: { code: '452' } });

    sink.acceptRecipient('busy@mail.test');
    await send.execute(outbound('n-busy', 'busy@mail.test'));
    await send.execute(outbound('n-busy', 'busy@mail.test'));
    expect(sink.to('busy@mail.test')).toHaveLength(1);
    expect(await outbox.model.findById('n-busy').lean()).toMatchObject({ status: 'sent', attempts: 2 });
    const receipt = JSON.parse((await deliveries.waitFor((r) => r.value?.includes('n-busy') ?? false)).value ?? '') as DeliveryReceipt;
    expect(receipt).toMatchObject({ status: 'sent', providerMessageId: sink.to('busy@mail.test')[0].parsed.messageId });
  });

  it('sends a batch with one claim and one update for all of it, a redelivered one as before, a temporary refusal left to retry', async () => {
    const send = useCase(sink.url);
    await send.execute(outbound('n-b0', 'b0@mail.test'));
    sink.failRecipient('b-busy@mail.test', 451, '4.3.0 try later');
    const batch = [outbound('n-b1', 'b1@mail.test'), outbound('n-b2', 'b2@mail.test'), outbound('n-b3', 'b1@mail.test'), outbound('n-b0', 'b0@mail.test'), outbound('n-b4', 'b-busy@mail.test')];
    const recorder = new MongoCommandRecorder(connection);
    let retry: Awaited<ReturnType<SendEmailUseCase['executeMany']>> = [];
    const commands = await recorder.during(async () => (retry = await send.executeMany(batch)));

    expect(retry.map((r) => r.outbound.notificationId)).toEqual(['n-b4']);
    expect(sink.to('b1@mail.test')).toHaveLength(2);
    expect(sink.to('b2@mail.test')).toHaveLength(1);
    expect(sink.to('b0@mail.test')).toHaveLength(1);
    const stored = await outbox.model.find({ _id: { $in: ['n-b1', 'n-b2', 'n-b3', 'n-b4'] } }).lean();
    expect(Object.fromEntries(stored.map((d) => [d._id, d.status]))).toEqual({ 'n-b1': 'sent', 'n-b2': 'sent', 'n-b3': 'sent', 'n-b4': 'retry' });
    for (const id of ['n-b1', 'n-b2', 'n-b3']) await receipt(id, 'sent');
    // The four new ones: one insert, one update by id for the three sent (and n-b4's release); the
    // redelivered n-b0 goes the one-by-one way: its own insert, refused, and a read.
    const outboxWrites = commands.filter((c) => c.collection === 'email_outbox' && c.name !== 'find');
    expect(outboxWrites.map((c) => c.name)).toEqual(['insert', 'update', 'update', 'insert']);
    expect(outboxWrites[2].filters).toEqual([{ _id: { $in: expect.arrayContaining(['n-b1', 'n-b2', 'n-b3']) } }]);
    expect(commands.every((c) => c.filters.every(filtersOnIdsAlone))).toBe(true);
    sink.acceptRecipient('b-busy@mail.test');
  });

  it('holds a recipient’s later mails of a batch back behind one refused for now, so they arrive in order', async () => {
    const send = useCase(sink.url);
    sink.failRecipient('order@mail.test', 451, '4.3.0 try later', 1);
    const first = { ...outbound('n-o1', 'order@mail.test'), text: 'first' };
    const second = { ...outbound('n-o2', 'order@mail.test'), text: 'second' };
    const retry = await send.executeMany([first, second]);

    expect(retry.map((r) => r.outbound.notificationId)).toEqual(['n-o1', 'n-o2']);
    expect(sink.to('order@mail.test')).toHaveLength(0);
    expect(await outbox.model.findById('n-o2').lean()).toMatchObject({ status: 'retry' });
    // The consumer retries them one by one, in the batch's order.
    for (const { outbound: again } of retry) await send.execute(again);
    expect(sink.to('order@mail.test').map((m) => m.parsed.text?.trim())).toEqual(['first', 'second']);
  });

  it('sends nothing more once the service is stopping, gives the claims back, and the redelivery sends each mail once', async () => {
    const send = useCase(sink.url);
    const batch = [1, 2, 3, 4].map((n) => outbound(`n-stop${n}`, `stop${n}@mail.test`));
    const stopping = new AbortController();
    stopping.abort();
    const left = await send.executeMany(batch, stopping.signal);

    expect(left.map((r) => r.outbound.notificationId).sort()).toEqual(['n-stop1', 'n-stop2', 'n-stop3', 'n-stop4']);
    expect(batch.flatMap((o) => sink.to(o.contact.address))).toHaveLength(0);
    const released = await outbox.model.find({ _id: { $in: batch.map((o) => o.notificationId) } }).lean();
    expect(released.map((d) => d.status)).toEqual(['retry', 'retry', 'retry', 'retry']);

    // After the restart the same events come again: each is claimed anew and mailed once.
    expect(await send.executeMany(batch)).toEqual([]);
    await send.executeMany(batch);
    for (const o of batch) expect(sink.to(o.contact.address)).toHaveLength(1);
    const stored = await outbox.model.find({ _id: { $in: batch.map((o) => o.notificationId) } }).lean();
    expect(stored.map((d) => d.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
  });

  it('retries when the relay is unreachable', async () => {
    const send = useCase(`smtp://127.0.0.1:${await freePort()}`);
    await expect(send.execute(outbound('n-down', 'down@mail.test'))).rejects.toThrow(/ECONNREFUSED|connect/i);
    expect(await outbox.model.findById('n-down').lean()).toMatchObject({ status: 'retry' });
  });

  it('does not send a notification a crashed run may already have sent', async () => {
    await outbox.model.create({ _id: 'n-crashed', ticketNumber: 31, to: 'crash@mail.test', messageId: '<x@example.com>', status: 'sending', attempts: 1, updatedAt: new Date() });
    await useCase(sink.url).execute(outbound('n-crashed', 'crash@mail.test'));
    expect(sink.to('crash@mail.test')).toHaveLength(0);
    // Marked failed (outcome unknown) so the notification does not stay queued forever.
    expect(await outbox.model.findById('n-crashed').lean()).toMatchObject({ status: 'failed', error: { code: 'outcome-unknown' } });
  });
});
