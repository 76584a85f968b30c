import { Connection } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import twilio from 'twilio';
import { DeliveryReceipt, deterministicId, OutboundMessage } from '@switchboard/contracts';
import { EventPublisher, KafkaConnection } from '@switchboard/messaging';
import { openMongo } from '@switchboard/persistence';
import { loadEnv } from '@switchboard/service-kit';
import { eventually, FakeTwilio, freePort, testInfra, TopicReader, uniqueName } from '@switchboard/testing';
import { SmsOptOutRepository } from './opt-out.repository';
import { ReportedCallbacks } from './reported-callbacks';
import { SendSmsUseCase } from './send-sms.use-case';
import { SmsOutboxRepository } from './sms-outbox.repository';
import { smsEnvSchema } from './sms.config';
import { StatusCallbackBatcher } from './status-callback-batcher';
import { RedirectingRequestClient } from './twilio-client';

/** The sending use case against the real broker and database, and the real SDK talking to the fake Twilio. */
describe('SendSmsUseCase', () => {
  const infra = testInfra();
  const fake = new FakeTwilio({ callbackDelayMs: 5 });
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const kafka = new KafkaConnection({ brokers: infra.kafkaBrokers, clientId: 'sms-spec', topicPrefix: `${uniqueName('sms-spec')}.`, partitions: 1 }, quiet);
  const publisher = new EventPublisher(kafka);
  const logger = new PinoLogger({ pinoHttp: { level: 'silent' } });
  let mongo: Connection;
  let deliveries: TopicReader;
  let outbox: SmsOutboxRepository;
  let optOuts: SmsOptOutRepository;

  beforeAll(async () => {
    await fake.start();
    mongo = await openMongo({ url: infra.mongoUrl, dbName: uniqueName('sms_spec').replace(/-/g, '_') });
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
  const useCase = (apiUrl = fake.url, timeoutMs = 5_000, reported = new ReportedCallbacks()) =>
    new SendSmsUseCase(twilio(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, { httpClient: new RedirectingRequestClient(apiUrl, timeoutMs) }), env, outbox, optOuts, publisher, logger, reported);

  let n = 0;
  const outbound = (to: string): OutboundMessage => {
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
  };
  const receiptsOf = (notificationId: string) =>
    deliveries.records.map((r) => JSON.parse(r.value ?? 'null') as DeliveryReceipt).filter((r) => r.notificationId === notificationId);
  const waitForReceipt = async (notificationId: string, status: string) =>
    JSON.parse((await deliveries.waitFor((r) => r.value !== null && JSON.parse(r.value).notificationId === notificationId && JSON.parse(r.value).status === status)).value ?? 'null') as DeliveryReceipt;

  it('sends with a status callback on the public URL and reports queued with the SID; a redelivery sends nothing', async () => {
    const message = outbound('+6281300000001');
    await useCase().execute(message);
    const [sent] = fake.messagesTo('+6281300000001');
    expect(sent).toMatchObject({ from: '+15005550006', body: message.text, statusCallback: `https://sms.example.com/webhooks/twilio/status?notificationId=${message.notificationId}` });
    expect(await waitForReceipt(message.notificationId, 'queued')).toMatchObject({ providerMessageId: sent.sid, channel: 'sms' });

    await useCase().execute(message);
    expect(fake.messagesTo('+6281300000001')).toHaveLength(1);
    await eventually(() => receiptsOf(message.notificationId).length === 2 || undefined);
    expect(new Set(receiptsOf(message.notificationId).map((r) => r.eventId)).size).toBe(1);
  });

  it('leaves out the queued receipt of a message whose status callback receipt went out first', async () => {
    const reported = new ReportedCallbacks();
    const callbacks = new StatusCallbackBatcher(publisher, outbox, logger, reported);
    const [overtaken, plain] = [outbound('+6281300000030'), outbound('+6281300000031')];
    // Twilio's callback for the first message is stored while the batch is still calling Twilio.
    await callbacks.submit({ receipt: { notificationId: overtaken.notificationId, status: 'delivered', providerMessageId: 'SM' + 'c'.repeat(32), at: new Date() }, messageSid: 'SM' + 'c'.repeat(32), twilioStatus: 'delivered' });
    await useCase(fake.url, 5_000, reported).executeBatch([overtaken, plain]);
    expect(fake.messagesTo('+6281300000030')).toHaveLength(1);
    await waitForReceipt(plain.notificationId, 'queued');
    expect(receiptsOf(overtaken.notificationId).map((r) => r.status)).toEqual(['delivered']);
  });

  it('does not call Twilio for an opted-out number', async () => {
    await optOuts.record('+6281300000002', true, 'STOP', 'SM1', new Date());
    const message = outbound('+6281300000002');
    await useCase().execute(message);
    expect(await waitForReceipt(message.notificationId, 'failed')).toMatchObject({ error: { code: 'opted_out' } });
    expect(fake.requests.filter((r) => r.params.To === '+6281300000002')).toEqual([]);
  });

  it('retries when Twilio cannot be reached, and then sends once', async () => {
    const message = outbound('+6281300000003');
    const closed = `http://127.0.0.1:${await freePort()}`;
    await expect(useCase(closed).execute(message)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await outbox.stateOf(message.notificationId)).toMatchObject({ state: 'retry', attempts: 1 });
    await useCase().execute(message);
    expect(fake.messagesTo('+6281300000003')).toHaveLength(1);
    expect(await outbox.stateOf(message.notificationId)).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('never sends again after a call that got no answer', async () => {
    fake.stall('+6281300000004');
    const message = outbound('+6281300000004');
    await useCase(fake.url, 300).execute(message);
    expect(await outbox.stateOf(message.notificationId)).toMatchObject({ state: 'sending' });
    await useCase().execute(message);
    expect(fake.requests.filter((r) => r.params.To === '+6281300000004')).toHaveLength(1);
    expect(receiptsOf(message.notificationId)).toEqual([]);
  });

  it('reports a refusal with Twilio’s code, and remembers a Twilio-side unsubscribe', async () => {
    fake.refuse('+6281300000005', { httpStatus: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const message = outbound('+6281300000005');
    await useCase().execute(message);
    expect(await waitForReceipt(message.notificationId, 'failed')).toMatchObject({ error: { code: '21610', message: 'Attempt to send to unsubscribed recipient' } });
    expect(await optOuts.isOptedOut('+6281300000005')).toBe(true);
  });

  it('sends a batch: numbers side by side, one number in order, held back behind a message Twilio did not take, receipts for all', async () => {
    const earlier = outbound('+6281300000010');
    await useCase().execute(earlier);
    await optOuts.record('+6281300000011', true, 'STOP', 'SM2', new Date());
    fake.refuse('+6281300000012', { httpStatus: 503, code: 20503, message: 'Service unavailable' });
    const busyFirst = outbound('+6281300000012');
    const busySecond = outbound('+6281300000012');
    const fresh = Array.from({ length: 6 }, (_, i) => outbound(`+62813000001${20 + i}`));
    const stopped = outbound('+6281300000011');

    const again = await useCase().executeBatch([busyFirst, ...fresh.slice(0, 3), earlier, busySecond, stopped, ...fresh.slice(3)]);

    expect([...again.keys()].sort()).toEqual([busyFirst.notificationId, busySecond.notificationId].sort());
    // The second message to the busy number was not tried while the first waits for another go.
    expect(fake.requests.filter((r) => r.params.To === '+6281300000012')).toHaveLength(1);
    for (const m of [busyFirst, busySecond]) expect(await outbox.stateOf(m.notificationId)).toMatchObject({ state: 'retry' });
    for (const m of fresh) expect(fake.messagesTo(m.contact.address).map((x) => x.body)).toEqual([m.text]);
    expect(fake.messagesTo('+6281300000010')).toHaveLength(1);
    expect(fake.requests.filter((r) => r.params.To === '+6281300000011')).toEqual([]);

    expect(await waitForReceipt(stopped.notificationId, 'failed')).toMatchObject({ error: { code: 'opted_out' } });
    for (const m of fresh) {
      const [sent] = fake.messagesTo(m.contact.address);
      await eventually(() => receiptsOf(m.notificationId).find((r) => r.providerMessageId === sent.sid));
    }
    // The redelivered one repeats its receipt (same event id), nothing more.
    await eventually(() => receiptsOf(earlier.notificationId).length >= 2 || undefined);
    expect(new Set(receiptsOf(earlier.notificationId).map((r) => r.eventId)).size).toBe(1);
    expect(receiptsOf(busyFirst.notificationId)).toEqual([]);

    // Tried again alone, the claim is taken again (still refused here).
    await expect(useCase().execute(busyFirst)).rejects.toMatchObject({ status: 503 });
    expect(await outbox.stateOf(busyFirst.notificationId)).toMatchObject({ state: 'retry', attempts: 2 });
  });

  it('once the service is stopping, calls Twilio no more and gives the claims back, so the next delivery sends each once', async () => {
    const batch = [outbound('+6281300000040'), outbound('+6281300000040'), outbound('+6281300000041')];
    const stop = new AbortController();
    stop.abort();
    const again = await useCase().executeBatch(batch, stop.signal);
    expect([...again.keys()].sort()).toEqual(batch.map((m) => m.notificationId).sort());
    expect(String(again.get(batch[2].notificationId))).toContain('the service is stopping');
    expect(fake.requests.filter((r) => ['+6281300000040', '+6281300000041'].includes(String(r.params.To)))).toEqual([]);
    for (const m of batch) expect(await outbox.stateOf(m.notificationId)).toMatchObject({ state: 'retry' });

    expect((await useCase().executeBatch(batch)).size).toBe(0);
    expect(fake.messagesTo('+6281300000040').map((m) => m.body)).toHaveLength(2);
    expect(fake.messagesTo('+6281300000041')).toHaveLength(1);
  });
});
