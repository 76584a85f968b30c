// What the channel-sms specs against the real broker and database start from: the fake Twilio,
// Kafka with a topic prefix of their own, a database of their own, the outbox and opt-outs, a
// reader of `deliveries`, and the SDK client as the service builds it.
// Named `.test.ts` so the build leaves it out and jest (which runs `*.spec.ts`) does not take it for a suite.
import { Connection } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import twilio from 'twilio';
import { DeliveryReceipt, deterministicId, OutboundMessage } from '@switchboard/contracts';
import { EventPublisher, KafkaConnection } from '@switchboard/messaging';
import { openMongo } from '@switchboard/persistence';
import { loadEnv } from '@switchboard/service-kit';
import { FakeTwilio, testInfra, TopicReader, uniqueName } from '@switchboard/testing';
import { SmsOptOutRepository } from './opt-out.repository';
import { SmsOutboxRepository } from './sms-outbox.repository';
import { smsEnvSchema } from './sms.config';
import { RedirectingRequestClient } from './twilio-client';

export interface SmsSpecWorld {
  fake: FakeTwilio;
  kafka: KafkaConnection;
  publisher: EventPublisher;
  logger: PinoLogger;
  env: ReturnType<typeof loadEnv<typeof smsEnvSchema>>;
  /** Set in beforeAll. */
  mongo: Connection;
  outbox: SmsOutboxRepository;
  optOuts: SmsOptOutRepository;
  deliveries: TopicReader;
  /** The SDK client as channel-sms builds it, sending to `apiUrl` (the fake by default). */
  client(apiUrl?: string, timeoutMs?: number): twilio.Twilio;
  /** The n-th outbound SMS to `to`, a fresh notification id each time. */
  outbound(to: string): OutboundMessage;
  receiptsOf(notificationId: string): DeliveryReceipt[];
}

/** Registers the suite's beforeAll/afterAll; `name` keeps its topics and database apart. */
export function smsSpecWorld(name: string): SmsSpecWorld {
  const infra = testInfra();
  const fake = new FakeTwilio({ callbackDelayMs: 5 });
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const kafka = new KafkaConnection({ brokers: infra.kafkaBrokers, clientId: name, topicPrefix: `${uniqueName(name)}.`, partitions: 1 }, quiet);
  const env = loadEnv(smsEnvSchema, { TWILIO_ACCOUNT_SID: fake.accountSid, TWILIO_AUTH_TOKEN: fake.authToken, TWILIO_FROM: '+15005550006', SMS_PUBLIC_BASE_URL: 'https://sms.example.com/' });
  let n = 0;
  const world = {
    fake,
    kafka,
    publisher: new EventPublisher(kafka),
    logger: new PinoLogger({ pinoHttp: { level: 'silent' } }),
    env,
    client: (apiUrl = fake.url, timeoutMs = 5_000) => twilio(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, { httpClient: new RedirectingRequestClient(apiUrl, timeoutMs) }),
    outbound: (to: string): OutboundMessage => {
      const notificationId = `n-${++n}-${Date.now()}`;
      return {
        schemaVersion: 1,
        eventId: deterministicId('outbound', notificationId),
        notificationId,
        kind: 'acknowledgement',
        ticketId: 't-1',
        ticketNumber: 7,
        channel: 'sms',
        contact: { channel: 'sms', address: to, provider: 'twilio' },
        contactKey: `sms:twilio:${to}`,
        language: 'en',
        text: 'We have your message: ticket #7.',
        automatic: true,
        createdAt: new Date().toISOString(),
      };
    },
    receiptsOf: (notificationId: string) =>
      world.deliveries.records.map((r) => JSON.parse(r.value ?? 'null') as DeliveryReceipt).filter((r) => r.notificationId === notificationId),
  } as SmsSpecWorld;

  beforeAll(async () => {
    await fake.start();
    world.mongo = await openMongo({ url: infra.mongoUrl, dbName: uniqueName(name).replace(/-/g, '_') });
    world.outbox = new SmsOutboxRepository(world.mongo);
    world.optOuts = new SmsOptOutRepository(world.mongo);
    await world.outbox.ensureIndexes();
    await world.optOuts.ensureIndexes();
    await kafka.ensureTopics();
    await world.publisher.connect();
    world.deliveries = await new TopicReader(infra.kafkaBrokers, kafka.topicName('deliveries')).start();
  });

  afterAll(async () => {
    await world.deliveries?.stop();
    await world.publisher.disconnect();
    await world.mongo?.dropDatabase();
    await world.mongo?.close();
    await fake.stop();
  });
  return world;
}
