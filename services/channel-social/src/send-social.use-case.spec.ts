import { Connection } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import { DeliveryReceipt, OutboundMessage } from '@switchboard/contracts';
import { EventPublisher, KafkaConnection } from '@switchboard/messaging';
import { openMongo } from '@switchboard/persistence';
import { loadEnv } from '@switchboard/service-kit';
import { FakeMetaGraph, FakeTelegram, freePort, testInfra, TopicReader, uniqueName } from '@switchboard/testing';
import { DeliveryReceipts } from './delivery-receipts';
import { ProviderHttpClient } from './provider-http.client';
import { ProviderUnreachableError, SendSocialUseCase } from './send-social.use-case';
import { resolveProviders, socialEnvSchema } from './social.config';
import { SocialContactRepository } from './social-contacts.repository';
import { SocialSendRepository } from './social-sends.repository';

const BOT = '42:spec-bot';

describe('SendSocialUseCase against a real broker, database and fake provider APIs', () => {
  const infra = testInfra();
  const prefix = `${uniqueName('social')}.`;
  const graph = new FakeMetaGraph({ accessToken: 'spec-token', appSecret: 's', phoneNumberId: '1065', pageId: '1040', instagramAccountId: '1784', templates: { ticket_update: ['en', 'id', 'zh_CN'] } });
  const telegram = new FakeTelegram(BOT);
  const logger = new PinoLogger({ pinoHttp: { level: 'silent' } });
  let mongo: Connection;
  let kafka: KafkaConnection;
  let publisher: EventPublisher;
  let deliveries: TopicReader;
  let sends: SocialSendRepository;
  let contacts: SocialContactRepository;

  const useCase = (settings: Record<string, string> = {}) => {
    const env = loadEnv(socialEnvSchema, {
      META_APP_SECRET: 's',
      META_VERIFY_TOKEN: 'v',
      META_ACCESS_TOKEN: 'spec-token',
      WHATSAPP_PHONE_NUMBER_ID: '1065',
      WHATSAPP_TEMPLATE_NAME: 'ticket_update',
      GRAPH_API_BASE_URL: graph.url,
      TELEGRAM_BOT_TOKEN: BOT,
      TELEGRAM_WEBHOOK_SECRET: 'secret',
      TELEGRAM_API_BASE_URL: telegram.url,
      SOCIAL_SEND_TIMEOUT_MS: '5000',
      ...settings,
    });
    return new SendSocialUseCase(resolveProviders(env), sends, contacts, new ProviderHttpClient(env), new DeliveryReceipts(publisher), logger);
  };

  const outbound = (id: string, provider: string, address: string, language: OutboundMessage['language'] = 'en'): OutboundMessage => ({
    schemaVersion: 1,
    eventId: `outbound-${id}`,
    notificationId: id,
    kind: 'acknowledgement',
    ticketId: `ticket-${id}`,
    ticketNumber: 12,
    channel: 'social',
    contact: { channel: 'social', provider, address },
    contactKey: `social:${provider}:${address}`,
    language,
    text: 'We got your message.\nYour ticket number is #12.',
    automatic: true,
    createdAt: new Date().toISOString(),
  });

  const receiptsOf = (notificationId: string) => deliveries.records.map((r) => JSON.parse(r.value ?? '{}') as DeliveryReceipt).filter((r) => r.notificationId === notificationId);
  const receipt = async (notificationId: string, status: string) =>
    JSON.parse((await deliveries.waitFor((r) => r.value?.includes(notificationId) === true && r.value.includes(`"status":"${status}"`))).value ?? '') as DeliveryReceipt;

  beforeAll(async () => {
    await graph.start();
    await telegram.start();
    mongo = await openMongo({ url: infra.mongoUrl, dbName: prefix.replace(/[-.]/g, '_').slice(0, 60) });
    sends = new SocialSendRepository(mongo);
    contacts = new SocialContactRepository(mongo);
    await sends.ensureIndexes();
    await contacts.ensureIndexes();
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    kafka = new KafkaConnection({ brokers: infra.kafkaBrokers, clientId: 'social-spec', topicPrefix: prefix, partitions: 1 }, quiet);
    await kafka.ensureTopics();
    publisher = new EventPublisher(kafka);
    deliveries = await new TopicReader(infra.kafkaBrokers, `${prefix}deliveries`).start();
  });

  afterAll(async () => {
    await deliveries?.stop();
    await publisher?.disconnect();
    await mongo?.dropDatabase();
    await mongo?.close();
    await graph.stop();
    await telegram.stop();
  });

  it('sends a notification once, however often it is delivered, and repeats only the receipt', async () => {
    const send = useCase();
    await send.execute(outbound('n-once', 'telegram', '900'));
    await send.execute(outbound('n-once', 'telegram', '900'));
    expect(telegram.sentTo('900')).toHaveLength(1);
    const sent = await receipt('n-once', 'sent');
    expect(sent.providerMessageId).toBe(`900:${telegram.sentTo('900')[0].messageId}`);
    expect(new Set(receiptsOf('n-once').map((r) => r.eventId)).size).toBe(1);
  });

  it('reports a provider refusal as failed with its code, without throwing', async () => {
    telegram.blocked.add('901');
    await expect(useCase().execute(outbound('n-blocked', 'telegram', '901'))).resolves.toBeUndefined();
    expect((await receipt('n-blocked', 'failed')).error).toEqual({ code: '403', message: 'Forbidden: bot was blocked by the user' });
    expect(await sends.sends.findById('n-blocked').lean()).toMatchObject({ state: 'failed', error: { code: '403' } });
  });

  it('leaves an unreachable provider to the consumer’s retries, and sends once it is back', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    await expect(useCase({ TELEGRAM_API_BASE_URL: closed }).execute(outbound('n-retry', 'telegram', '902'))).rejects.toBeInstanceOf(ProviderUnreachableError);
    expect(await sends.sends.findById('n-retry').lean()).toBeNull();
    await useCase().execute(outbound('n-retry', 'telegram', '902'));
    expect(telegram.sentTo('902')).toHaveLength(1);
  });

  it('sends WhatsApp free text inside the 24-hour window and the template outside it', async () => {
    const now = new Date();
    await contacts.recordInbound('social:whatsapp:62811000001', 'whatsapp', '62811000001', new Date(now.getTime() - 60_000));
    // A redelivered older message does not move the window back.
    await contacts.recordInbound('social:whatsapp:62811000001', 'whatsapp', '62811000001', new Date(now.getTime() - 48 * 3600_000));
    await contacts.recordInbound('social:whatsapp:62811000002', 'whatsapp', '62811000002', new Date(now.getTime() - 24 * 3600_000 - 1));
    const send = useCase();
    await send.execute(outbound('n-inside', 'whatsapp', '62811000001'), now);
    await send.execute(outbound('n-outside', 'whatsapp', '62811000002', 'zh'), now);
    await send.execute(outbound('n-never', 'whatsapp', '62811000003', 'id'), now);

    expect(graph.sentTo('62811000001')[0].body).toMatchObject({ type: 'text', text: { body: 'We got your message.\nYour ticket number is #12.' } });
    expect(graph.sentTo('62811000002')[0].body).toMatchObject({ type: 'template', template: { name: 'ticket_update', language: { code: 'zh_CN' } } });
    expect(graph.sentTo('62811000003')[0].body).toMatchObject({ type: 'template', template: { language: { code: 'id' } } });
    expect(await sends.sends.findById('n-outside').lean()).toMatchObject({ state: 'sent', mode: 'template', template: { name: 'ticket_update', language: 'zh_CN' } });
    const sent = await receipt('n-inside', 'sent');
    expect(await sends.notificationOf('whatsapp', sent.providerMessageId as string)).toBe('n-inside');
  });

  it('does not send free text outside the window when no template is configured', async () => {
    await useCase({ WHATSAPP_TEMPLATE_NAME: '' }).execute(outbound('n-no-template', 'whatsapp', '62811000004'));
    expect((await receipt('n-no-template', 'failed')).error?.code).toBe('window-closed');
    expect(graph.sentTo('62811000004')).toEqual([]);
  });

  it('fails a notification for a provider that is not enabled', async () => {
    await useCase().execute(outbound('n-messenger', 'messenger', '2400001'));
    expect((await receipt('n-messenger', 'failed')).error?.code).toBe('provider-disabled');
  });
});
