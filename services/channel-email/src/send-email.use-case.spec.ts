import { Connection } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import { DeliveryReceipt, OutboundMessage } from '@switchboard/contracts';
import { EventPublisher, KafkaConnection } from '@switchboard/messaging';
import { openMongo } from '@switchboard/persistence';
import { loadEnv } from '@switchboard/service-kit';
import { freePort, SmtpSink, testInfra, TopicReader, uniqueName } from '@switchboard/testing';
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
    connection = await openMongo({ url: infra.mongoUrl, dbName: prefix.replace(/[-.]/g, '_') });
    outbox = new EmailOutboxRepository(connection);
    await outbox.ensureIndexes();
    kafka = new KafkaConnection({ brokers: infra.kafkaBrokers, clientId: 'send-email-spec', topicPrefix: prefix, partitions: 1 }, quiet);
    await kafka.ensureTopics();
    publisher = new EventPublisher(kafka);
    deliveries = await new TopicReader(infra.kafkaBrokers, kafka.topicName('deliveries')).start();
  });

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
