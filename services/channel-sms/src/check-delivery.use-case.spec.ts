import { Connection } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import twilio from 'twilio';
import { DeliveryCheck, DeliveryReceipt, deterministicId, OutboundMessage } from '@switchboard/contracts';
import { EventPublisher, KafkaConnection } from '@switchboard/messaging';
import { openMongo } from '@switchboard/persistence';
import { loadEnv } from '@switchboard/service-kit';
import { eventually, FakeTwilio, freePort, testInfra, TopicReader, uniqueName } from '@switchboard/testing';
import { CheckDeliveryUseCase } from './check-delivery.use-case';
import { SmsOptOutRepository } from './opt-out.repository';
import { SendSmsUseCase } from './send-sms.use-case';
import { SmsOutboxRepository } from './sms-outbox.repository';
import { smsEnvSchema } from './sms.config';
import { RedirectingRequestClient } from './twilio-client';

/** Status checks against the real broker and database, with the real SDK asking the fake Twilio by SID. */
describe('CheckDeliveryUseCase', () => {
  const infra = testInfra();
  const fake = new FakeTwilio({ callbackDelayMs: 5 });
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const kafka = new KafkaConnection({ brokers: infra.kafkaBrokers, clientId: 'sms-check-spec', topicPrefix: `${uniqueName('sms-check-spec')}.`, partitions: 1 }, quiet);
  const publisher = new EventPublisher(kafka);
  const logger = new PinoLogger({ pinoHttp: { level: 'silent' } });
  let mongo: Connection;
  let deliveries: TopicReader;
  let outbox: SmsOutboxRepository;
  let optOuts: SmsOptOutRepository;

  beforeAll(async () => {
    await fake.start();
    mongo = await openMongo({ url: infra.mongoUrl, dbName: uniqueName('sms_check_spec').replace(/-/g, '_') });
    outbox = new SmsOutboxRepository(mongo);
    optOuts = new SmsOptOutRepository(mongo);
    await outbox.ensureIndexes();
    await optOuts.ensureIndexes();
    await kafka.ensureTopics();
    await publisher.connect();
    deliveries = await new TopicReader(infra.kafkaBrokers, kafka.topicName('deliveries')).start();
  });

  afterAll(async () => {
    await deliveries?.stop();
    await publisher.disconnect();
    await mongo?.dropDatabase();
    await mongo?.close();
    await fake.stop();
  });

  const env = loadEnv(smsEnvSchema, { TWILIO_ACCOUNT_SID: fake.accountSid, TWILIO_AUTH_TOKEN: fake.authToken, TWILIO_FROM: '+15005550006', SMS_PUBLIC_BASE_URL: 'https://sms.example.com/' });
  const client = (apiUrl = fake.url) => twilio(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, { httpClient: new RedirectingRequestClient(apiUrl, 5_000) });
  const checker = (apiUrl = fake.url) => new CheckDeliveryUseCase(client(apiUrl), env, outbox, publisher, logger);

  let n = 0;
  const outbound = (to: string): OutboundMessage => {
    const notificationId = `c-${++n}-${Date.now()}`;
    return {
      schemaVersion: 1,
      eventId: deterministicId('outbound', notificationId),
      notificationId,
      kind: 'received',
      ticketId: 't-1',
      ticketNumber: 8,
      channel: 'sms',
      contact: { channel: 'sms', address: to, provider: 'twilio' },
      contactKey: `sms:twilio:${to}`,
      language: 'en',
      text: 'We have your message: ticket #8.',
      automatic: true,
      createdAt: new Date().toISOString(),
    };
  };
  const check = (notificationId: string, providerMessageId?: string): DeliveryCheck => ({
    schemaVersion: 1,
    eventId: deterministicId('delivery-check', notificationId, '1'),
    notificationId,
    channel: 'sms',
    ...(providerMessageId ? { providerMessageId } : {}),
    check: 1,
    requestedAt: new Date().toISOString(),
  });
  const receiptsOf = (notificationId: string) =>
    deliveries.records.map((r) => JSON.parse(r.value ?? 'null') as DeliveryReceipt).filter((r) => r.notificationId === notificationId);
  /** Sent through the real use case, its callbacks lost; once Twilio's status is final. */
  async function sentAndLost(to: string): Promise<{ notificationId: string; sid: string }> {
    fake.loseCallbacks(to);
    const message = outbound(to);
    await new SendSmsUseCase(client(), env, outbox, optOuts, publisher, logger).execute(message);
    const [sent] = fake.messagesTo(to);
    await eventually(() => (['delivered', 'undelivered', 'failed'].includes(sent.status) ? true : undefined));
    expect(sent.callbacks).toEqual([]);
    return { notificationId: message.notificationId, sid: sent.sid };
  }

  it('publishes the delivered receipt under the callback receipt id, finding the SID in the outbox when the request has none', async () => {
    const { notificationId, sid } = await sentAndLost('+6281300000801');
    expect(await checker().executeBatch([check(notificationId)])).toEqual(new Map());
    const receipt = await eventually(() => receiptsOf(notificationId).find((r) => r.status === 'delivered'));
    expect(receipt).toMatchObject({ eventId: deterministicId('delivery', notificationId, 'delivered'), providerMessageId: sid, channel: 'sms' });
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/Messages/${sid}.json`))).toHaveLength(1);
  });

  it('reports undelivered with the carrier error; a message Twilio does not know and one without a SID publish nothing', async () => {
    fake.failDeliveries('+6281300000802', { status: 'undelivered', errorCode: 30003 });
    const { notificationId, sid } = await sentAndLost('+6281300000802');
    const unknown = check('c-unknown', 'SM' + '0'.repeat(32));
    const noSid = check('c-never-sent');
    // One batch, one produce request on one partition: once the undelivered receipt is read, the others would have been too.
    expect(await checker().executeBatch([unknown, noSid, check(notificationId, sid)])).toEqual(new Map());
    const receipt = await eventually(() => receiptsOf(notificationId).find((r) => r.status === 'undelivered'));
    expect(receipt).toMatchObject({ eventId: deterministicId('delivery', notificationId, 'undelivered'), error: { code: '30003', message: 'Twilio reported undelivered (error 30003)' } });
    expect(receiptsOf('c-unknown')).toEqual([]);
    expect(receiptsOf('c-never-sent')).toEqual([]);
  });

  it('starts no call once the service is stopping, and gives the checks back for redelivery', async () => {
    const { notificationId, sid } = await sentAndLost('+6281300000803');
    const stopping = new AbortController();
    stopping.abort();
    const request = check(notificationId, sid);
    expect([...(await checker().executeBatch([request], stopping.signal)).keys()]).toEqual([request.eventId]);
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/Messages/${sid}.json`))).toEqual([]);
  });

  it('asks again later when Twilio cannot be reached', async () => {
    const request = check('c-unreachable', 'SM' + '1'.repeat(32));
    const again = await checker(`http://127.0.0.1:${await freePort()}`).executeBatch([request]);
    expect([...again.keys()]).toEqual([request.eventId]);
  });
});
