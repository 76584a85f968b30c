import { Connection } from 'mongoose';
import { DeliveryReceipt, InboundMessage } from '@switchboard/contracts';
import { eventually, FakeMetaGraph, FakeTelegram, ServiceProcess } from '@switchboard/testing';
import { usePlatform, useTopicReader } from './use-platform';

const APP_SECRET = 'e2e-meta-app-secret';
const VERIFY_TOKEN = 'e2e-verify-token';
const BOT_TOKEN = '123456:E2E-bot-token';
const TELEGRAM_SECRET = 'e2e_telegram_webhook_secret';

describe('channel-social: WhatsApp, Messenger, Instagram and Telegram both ways', () => {
  const graph = new FakeMetaGraph({
    accessToken: 'EAAG-e2e-access-token',
    appSecret: APP_SECRET,
    phoneNumberId: '106500000000001',
    pageId: '104000000000002',
    instagramAccountId: '178410000000003',
    templates: { ticket_update: ['en', 'id', 'zh_CN'] },
  });
  const telegram = new FakeTelegram(BOT_TOKEN);

  beforeAll(async () => {
    await graph.start();
    await telegram.start();
  });

  const { platform, db: database } = usePlatform(['classifier', 'router', 'notifier', 'channel-social'], () => ({
    'channel-social': {
      META_APP_SECRET: APP_SECRET,
      META_VERIFY_TOKEN: VERIFY_TOKEN,
      META_ACCESS_TOKEN: graph.options.accessToken,
      WHATSAPP_PHONE_NUMBER_ID: graph.options.phoneNumberId,
      MESSENGER_PAGE_ID: graph.options.pageId,
      INSTAGRAM_ACCOUNT_ID: graph.options.instagramAccountId,
      WHATSAPP_TEMPLATE_NAME: 'ticket_update',
      GRAPH_API_BASE_URL: graph.url,
      GRAPH_API_VERSION: 'v21.0',
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      TELEGRAM_API_BASE_URL: telegram.url,
    },
  }));

  let db: Connection;
  const inbound = useTopicReader(platform, 'inbound');
  const deliveries = useTopicReader(platform, 'deliveries');
  const service = (path: string) => `${platform.service('channel-social').url}${path}`;

  beforeAll(async () => {
    db = database();
  });

  afterAll(async () => {
    await graph.stop();
    await telegram.stop();
  });

  const inboundEvents = () => inbound.records.map((r) => JSON.parse(r.value ?? '{}') as InboundMessage);
  const inboundFor = async (providerMessageId: string) =>
    JSON.parse((await inbound.waitFor((r) => (JSON.parse(r.value ?? '{}') as InboundMessage).providerMessageId === providerMessageId, 30_000)).value ?? '') as InboundMessage;
  const receipt = async (predicate: (r: DeliveryReceipt) => boolean) =>
    JSON.parse((await deliveries.waitFor((r) => predicate(JSON.parse(r.value ?? '{}') as DeliveryReceipt), 60_000)).value ?? '') as DeliveryReceipt;
  const ticketOf = (contactKey: string) => eventually(async () => (await db.collection('tickets').findOne({ contactKey })) ?? undefined, 60_000, `no ticket for ${contactKey}`);

  it('answers Meta’s subscription handshake only for the right verify token', async () => {
    const handshake = (product: string, token: string) => fetch(service(`/webhooks/${product}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`));
    const ok = await handshake('whatsapp', VERIFY_TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe('1158201444');
    expect((await handshake('whatsapp', 'guess')).status).toBe(403);
    expect((await handshake('instagram', VERIFY_TOKEN)).status).toBe(200);
    expect((await fetch(service('/webhooks/messenger?hub.mode=subscribe&hub.challenge=1'))).status).toBe(403);
  });

  it('turns a signed WhatsApp message into a ticket, answers it as free text and reports its delivery', async () => {
    const waId = '6281200000001';
    const posted = await graph.postWebhook(service('/webhooks/whatsapp'), graph.whatsappMessage({ waId, id: 'wamid.e2e-first', name: 'Sari', text: 'Saldo saya kepotong Rp150.000 tapi transfer ke BCA gagal, tolong min' }));
    expect(posted.status).toBe(200);

    const message = await inboundFor('wamid.e2e-first');
    expect(message).toMatchObject({
      channel: 'social',
      provider: 'whatsapp',
      contact: { channel: 'social', provider: 'whatsapp', address: waId, displayName: 'Sari' },
      identities: [{ kind: 'phone', value: `+${waId}`, verified: true }],
    });
    const ticket = await ticketOf(`social:whatsapp:${waId}`);
    expect(ticket).toMatchObject({ channel: 'social', contact: { provider: 'whatsapp', address: waId }, language: 'id' });

    const [reply] = await eventually(() => (graph.sentTo(waId).length > 0 ? graph.sentTo(waId) : undefined), 60_000, 'no reply at the Graph API');
    expect(reply).toMatchObject({ product: 'whatsapp', authorization: `Bearer ${graph.options.accessToken}`, body: { type: 'text', to: waId } });
    expect((reply.body.text as { body: string }).body).toContain(`#${ticket.number}`);

    const sent = await receipt((r) => r.status === 'sent' && r.providerMessageId === reply.messageId);
    expect(sent.channel).toBe('social');
    expect((await graph.postWhatsappStatus(service('/webhooks/whatsapp'), { id: reply.messageId as string, recipient: waId, status: 'delivered' })).status).toBe(200);
    const delivered = await receipt((r) => r.status === 'delivered' && r.notificationId === sent.notificationId);
    expect(delivered.providerMessageId).toBe(reply.messageId);
    await eventually(async () => (await db.collection('notifications').findOne({ _id: sent.notificationId as never, status: 'delivered' })) ?? undefined);
  });

  it('refuses forged, unsigned and malformed webhooks and publishes nothing from them', async () => {
    const waId = '6281200000002';
    const url = service('/webhooks/whatsapp');
    expect((await graph.postWebhook(url, graph.whatsappMessage({ waId, id: 'wamid.e2e-forged', text: 'akun saya diblokir' }), 'forged')).status).toBe(403);
    expect((await graph.postWebhook(url, graph.whatsappMessage({ waId, id: 'wamid.e2e-unsigned', text: 'akun saya diblokir' }), 'missing')).status).toBe(403);
    expect((await graph.postWebhook(url, '{"object":"whatsapp_business_account","entry":[')).status).toBe(400);
    expect((await graph.postWebhook(url, { object: 'page', entry: [] })).status).toBe(400);
    expect((await graph.postWebhook(url, { object: 'whatsapp_business_account', entry: 'x'.repeat(2_000_000) })).status).toBe(413);

    // A batch with one bad item: the good one is published, the bad one logged, Meta hears 200.
    const batch = graph.whatsappMessage({ waId, id: 'wamid.e2e-good', text: 'akun saya diblokir setelah salah PIN' });
    const value = (batch.entry as { changes: { value: { messages: unknown[] } }[] }[])[0].changes[0].value;
    value.messages.push({ from: 'not-a-phone', id: 'wamid.e2e-bad', timestamp: 'soon', type: 'text', text: { body: 'x' } });
    expect((await graph.postWebhook(url, batch)).status).toBe(200);

    // Same contact, same partition: once the good message is there, the refused ones would have been too.
    await inboundFor('wamid.e2e-good');
    const ids = inboundEvents().map((m) => m.providerMessageId);
    expect(ids).not.toContain('wamid.e2e-forged');
    expect(ids).not.toContain('wamid.e2e-unsigned');
    expect(ids).not.toContain('wamid.e2e-bad');
    expect((await fetch(service('/health'))).status).toBe(200);
  });

  it('counts the same webhook delivered twice as one message', async () => {
    const waId = '6281200000003';
    const body = graph.whatsappMessage({ waId, id: 'wamid.e2e-twice', text: 'I was charged twice for my top-up' });
    expect((await graph.postWebhook(service('/webhooks/whatsapp'), body)).status).toBe(200);
    expect((await graph.postWebhook(service('/webhooks/whatsapp'), body)).status).toBe(200);
    expect((await graph.postWebhook(service('/webhooks/whatsapp'), graph.whatsappMessage({ waId, id: 'wamid.e2e-after', text: 'please check' }))).status).toBe(200);

    const after = await inboundFor('wamid.e2e-after');
    await eventually(async () => (await db.collection('ticket_messages').findOne({ _id: after.eventId as never })) ?? undefined, 60_000);
    expect(await db.collection('ticket_messages').countDocuments({ contactKey: `social:whatsapp:${waId}` })).toBe(2);
    expect(new Set(inboundEvents().filter((m) => m.providerMessageId === 'wamid.e2e-twice').map((m) => m.eventId)).size).toBe(1);
  });

  it('answers a WhatsApp customer whose last message is older than 24 hours with the approved template', async () => {
    const waId = '6281200000004';
    // Graph would refuse free text to this customer (131047), as the real one does outside the window.
    graph.outsideWindow.add(waId);
    const old = new Date(Date.now() - 25 * 3600 * 1000);
    expect((await graph.postWebhook(service('/webhooks/whatsapp'), graph.whatsappMessage({ waId, id: 'wamid.e2e-old', timestamp: old, text: 'I cannot log in, the OTP never arrives' }))).status).toBe(200);

    const ticket = await ticketOf(`social:whatsapp:${waId}`);
    const [reply] = await eventually(() => (graph.sentTo(waId).length > 0 ? graph.sentTo(waId) : undefined), 60_000, 'no template at the Graph API');
    expect(reply.body).toMatchObject({ type: 'template', template: { name: 'ticket_update', language: { code: 'en' } } });
    const parameter = (reply.body.template as { components: { parameters: { text: string }[] }[] }).components[0].parameters[0].text;
    expect(parameter).toContain(`#${ticket.number}`);
    const sent = await receipt((r) => r.status === 'sent' && r.providerMessageId === reply.messageId);
    expect(await db.collection('social_sends').findOne({ _id: sent.notificationId as never })).toMatchObject({ mode: 'template', template: { name: 'ticket_update', language: 'en' }, state: 'sent' });

    // WhatsApp may still give up on it later: the failed status carries Graph's code.
    expect((await graph.postWhatsappStatus(service('/webhooks/whatsapp'), { id: reply.messageId as string, recipient: waId, status: 'failed', errorCode: 131026, errorTitle: 'Message undeliverable' })).status).toBe(200);
    const failed = await receipt((r) => r.status === 'failed' && r.notificationId === sent.notificationId);
    expect(failed).toMatchObject({ providerMessageId: reply.messageId, error: { code: '131026', message: 'Message undeliverable' } });
  });

  it('reports Graph’s refusal as a failed receipt with its error code', async () => {
    const waId = '6281200000005';
    // Our record says the window is open; Graph disagrees, as when the customer wrote from another device.
    graph.outsideWindow.add(waId);
    await graph.postWebhook(service('/webhooks/whatsapp'), graph.whatsappMessage({ waId, id: 'wamid.e2e-refused', text: 'refund belum masuk sudah 5 hari' }));
    const ticket = await ticketOf(`social:whatsapp:${waId}`);
    const notification = await eventually(async () => (await db.collection('notifications').findOne({ ticketId: ticket._id })) ?? undefined, 60_000);
    const failed = await receipt((r) => r.notificationId === String(notification._id) && r.status === 'failed');
    expect(failed.error).toMatchObject({ code: '131047', message: 'Re-engagement message' });
    expect(graph.sentTo(waId)).toEqual([]);
  });

  it.each(['messenger', 'instagram'] as const)('turns a message on %s into a ticket, replies through the Send API and reads the read receipt', async (product) => {
    const senderId = product === 'messenger' ? '2400000000000001' : '17841400000000001';
    const mid = `${product}-e2e-1`;
    const posted = await graph.postWebhook(service(`/webhooks/${product}`), graph.messengerMessage(product, { senderId, mid, text: 'my payment failed but the money was deducted' }));
    expect(posted.status).toBe(200);
    expect((await inboundFor(mid)).contact).toEqual({ channel: 'social', provider: product, address: senderId });
    const ticket = await ticketOf(`social:${product}:${senderId}`);
    expect(ticket).toMatchObject({ channel: 'social', contact: { provider: product } });

    const [reply] = await eventually(() => (graph.sentTo(senderId).length > 0 ? graph.sentTo(senderId) : undefined), 60_000, `no ${product} reply`);
    expect(reply).toMatchObject({ product, body: { recipient: { id: senderId }, messaging_type: 'RESPONSE' } });
    expect((reply.body.message as { text: string }).text).toContain(`#${ticket.number}`);
    const sent = await receipt((r) => r.status === 'sent' && r.providerMessageId === reply.messageId);
    // Messenger marks what was read by a watermark (time), Instagram by message id.
    const read = product === 'messenger' ? { read: { watermark: Date.now() } } : { read: { mid: reply.messageId as string } };
    expect((await graph.postMessagingReceipt(service(`/webhooks/${product}`), product, senderId, read)).status).toBe(200);
    await receipt((r) => r.status === 'delivered' && r.notificationId === sent.notificationId);
  });

  it('passes WhatsApp media on as attachments with the media id, the caption as text', async () => {
    const waId = '6281200000006';
    const body = graph.whatsappMessage({ waId, id: 'wamid.e2e-image', text: 'unused' });
    const value = (body.entry as { changes: { value: { messages: Record<string, unknown>[] } }[] }[])[0].changes[0].value;
    value.messages[0] = { ...value.messages[0], type: 'image', text: undefined, image: { id: '1479537139650973', mime_type: 'image/jpeg', sha256: 'x', caption: 'bukti transfer gagal' } };
    expect((await graph.postWebhook(service('/webhooks/whatsapp'), body)).status).toBe(200);
    const message = await inboundFor('wamid.e2e-image');
    expect(message).toMatchObject({ text: 'bukti transfer gagal', attachments: [{ contentType: 'image/jpeg' }], metadata: { 'attachment.0.mediaId': '1479537139650973' } });
  });

  it('answers 404 for providers a deployment has not configured', async () => {
    // Topics and database of its own: it must not take outbound.social partitions from the configured one.
    const env = { ...platform.env, KAFKA_TOPIC_PREFIX: `${platform.topicPrefix}bare.`, MONGO_DB: `${platform.dbName}_bare` };
    const bare = new ServiceProcess({ name: 'channel-social', portEnv: 'PORT', env, logDir: `${platform.logDir}/bare` });
    await bare.start();
    try {
      expect((await fetch(`${bare.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1`)).status).toBe(404);
      expect((await graph.postWebhook(`${bare.url}/webhooks/messenger`, graph.messengerMessage('messenger', { senderId: '1', mid: 'm', text: 'x' }))).status).toBe(404);
      expect((await telegram.postMessage(`${bare.url}/webhooks/telegram`, { chatId: 1, messageId: 1, text: 'x' }, TELEGRAM_SECRET)).status).toBe(404);
      expect((await fetch(`${bare.url}/health`)).status).toBe(200);
    } finally {
      await bare.stop();
      await db.useDb(env.MONGO_DB).dropDatabase();
    }
  });

  it('accepts Telegram updates only with the secret token and answers with sendMessage', async () => {
    const url = service('/webhooks/telegram');
    expect((await telegram.postMessage(url, { chatId: 7001, messageId: 1, text: 'refund not received' })).status).toBe(403);
    expect((await telegram.postMessage(url, { chatId: 7001, messageId: 2, text: 'refund not received' }, 'wrong-secret')).status).toBe(403);
    expect((await telegram.postUpdate(url, { update_id: 1, edited_message: {} }, TELEGRAM_SECRET)).status).toBe(200);
    expect((await telegram.postUpdate(url, { message: 'no update id' }, TELEGRAM_SECRET)).status).toBe(400);
    expect((await telegram.postMessage(url, { chatId: 7001, messageId: 3, text: 'My refund was not received after 5 days', firstName: 'John' }, TELEGRAM_SECRET)).status).toBe(200);

    expect((await inboundFor('7001:3')).contact).toEqual({ channel: 'social', provider: 'telegram', address: '7001', displayName: 'John' });
    const ticket = await ticketOf('social:telegram:7001');
    const [reply] = await eventually(() => (telegram.sentTo('7001').length > 0 ? telegram.sentTo('7001') : undefined), 60_000, 'no sendMessage');
    expect(reply.text).toContain(`#${ticket.number}`);
    await receipt((r) => r.status === 'sent' && r.providerMessageId === `7001:${reply.messageId}`);
    expect(inboundEvents().map((m) => m.providerMessageId)).not.toContain('7001:1');
  });

  it('reports a Telegram chat that blocked the bot as failed with code 403', async () => {
    telegram.blocked.add('7002');
    await telegram.postMessage(service('/webhooks/telegram'), { chatId: 7002, messageId: 1, text: 'someone logged into my account' }, TELEGRAM_SECRET);
    const ticket = await ticketOf('social:telegram:7002');
    const notification = await eventually(async () => (await db.collection('notifications').findOne({ ticketId: ticket._id })) ?? undefined, 60_000);
    const failed = await receipt((r) => r.notificationId === String(notification._id) && r.status === 'failed');
    expect(failed.error).toEqual({ code: '403', message: 'Forbidden: bot was blocked by the user' });
    expect(telegram.sentTo('7002')).toEqual([]);
  });
});
