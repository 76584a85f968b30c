import { Kafka, logLevel } from 'kafkajs';
import { signIdentity } from '@switchboard/channels';
import { deterministicId } from '@switchboard/contracts';
import { eventually, FakeTwilio, freePort, SmtpSink, twilioInboundSmsParams } from '@switchboard/testing';
import { usePlatform, useTopicReader } from './use-platform';

const OUR_NUMBER = '+15005550006';
const DELIVERED_PHONE = '+6281300000701';
const UNDELIVERED_PHONE = '+6281300000702';
const NORMAL_PHONE = '+6281300000703';

/**
 * Twilio posts each status callback once. Here the fake Twilio loses them (the service was down
 * when they came): the notifier's watch notices the acknowledgements left `queued`, asks
 * channel-sms to check them, and channel-sms asks Twilio by SID through the SDK.
 */
describe('SMS status checked by SID when the status callbacks never came', () => {
  const twilioApi = new FakeTwilio({ callbackDelayMs: 100 });
  const sink = new SmtpSink();
  beforeAll(async () => {
    await twilioApi.start();
    await sink.start();
  });

  const { platform, db } = usePlatform(['channel-inapp', 'channel-sms', 'channel-email', 'classifier', 'router', 'notifier'], async () => ({
    'channel-sms': { TWILIO_ACCOUNT_SID: twilioApi.accountSid, TWILIO_AUTH_TOKEN: twilioApi.authToken, TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: twilioApi.url },
    'channel-email': { EMAIL_SMTP_PORT: String(await freePort()), EMAIL_SMTP_URL: sink.url, EMAIL_FROM: 'Switchboard Support <support@example.com>' },
    // Short stages so the test sees two of them; production waits 10 min, 1 h, 6 h.
    notifier: { NOTIFY_SMS_CHECK_AFTER: '3s,20s', NOTIFY_SMS_CHECK_POLL_MS: '250' },
  }));
  const deliveries = useTopicReader(platform, 'deliveries');
  const checks = useTopicReader(platform, 'delivery-checks');

  afterAll(async () => {
    await twilioApi.stop();
    await sink.stop();
  });

  const parse = (value: string | null) => JSON.parse(value ?? 'null');
  const textIn = async (phone: string, body: string) => {
    const webhook = `${platform.service('channel-sms').url}/webhooks/twilio/sms`;
    const params = twilioInboundSmsParams({ from: phone, body, to: OUR_NUMBER, accountSid: twilioApi.accountSid });
    expect((await twilioApi.sendWebhook(webhook, params)).status).toBe(200);
    return eventually(async () => (await db().collection('tickets').findOne({ contactKey: `sms:twilio:${phone}` })) ?? undefined, 60_000);
  };
  const smsNotificationOf = (ticketId: unknown) => eventually(async () => (await db().collection('notifications').findOne({ ticketId, channel: 'sms', providerMessageId: { $exists: true } })) ?? undefined, 60_000);
  const fetchesOf = (sid: string) => twilioApi.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/Messages/${sid}.json`));

  it('a message that ended delivered: the check records delivered, with the receipt id its callback would have had', async () => {
    twilioApi.loseCallbacks(DELIVERED_PHONE);
    const ticket = await textIn(DELIVERED_PHONE, 'gk bisa login min, akun saya terkunci');
    const queued = await smsNotificationOf(ticket._id);
    const sid = queued.providerMessageId as string;
    expect(twilioApi.messages.find((m) => m.sid === sid)?.callbacks).toEqual([]);

    const request = parse((await checks.waitFor((r) => parse(r.value).notificationId === queued._id, 60_000)).value);
    expect(request).toMatchObject({ channel: 'sms', check: 1, providerMessageId: sid });
    const delivered = await eventually(async () => (await db().collection('notifications').findOne({ _id: queued._id, status: 'delivered' })) ?? undefined, 60_000);
    const receipt = delivered.deliveries.find((d: { status: string }) => d.status === 'delivered');
    expect(receipt).toMatchObject({ providerMessageId: sid, receiptId: deterministicId('delivery', String(queued._id), 'delivered') });
    expect(fetchesOf(sid).length).toBeGreaterThanOrEqual(1);
    // Once final it is forgotten: no second check is asked for, and nothing is sent again.
    await eventually(async () => ((await db().collection('notification_delivery_checks').countDocuments({ _id: queued._id })) === 0 ? true : undefined), 60_000);
    expect(checks.records.map((r) => parse(r.value)).filter((c) => c.notificationId === queued._id)).toHaveLength(1);
    expect(twilioApi.messagesTo(DELIVERED_PHONE)).toHaveLength(1);
  });

  it('a message that ended undelivered: the check leads to the fallback on the verified email, as a callback would', async () => {
    // Dewi's app profile proves her phone and email, as in fallback.spec.ts.
    const token = signIdentity({ sub: 'dewi-702', phone: UNDELIVERED_PHONE, email: 'dewi702@mail.test', exp: Math.floor(Date.now() / 1000) + 3600 }, platform.identitySecret);
    const posted = await fetch(`${platform.service('channel-inapp').url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ text: 'hello, question about my account', clientMessageId: 'dewi-702-1' }),
    });
    expect(posted.status).toBe(202);
    const inappTicket = await eventually(async () => (await db().collection('tickets').findOne({ contactKey: 'inapp::dewi-702' })) ?? undefined, 60_000);
    await db().collection('tickets').updateOne({ _id: inappTicket._id }, { $set: { status: 'resolved' } });

    twilioApi.loseCallbacks(UNDELIVERED_PHONE);
    twilioApi.failDeliveries(UNDELIVERED_PHONE, { status: 'undelivered', errorCode: 30003 });
    const ticket = await textIn(UNDELIVERED_PHONE, 'saldo saya kepotong Rp75.000 di Alfamart kemarin jam 3');
    expect(ticket.personId).toBe(inappTicket.personId);
    const queued = await smsNotificationOf(ticket._id);

    const failed = await eventually(async () => (await db().collection('notifications').findOne({ _id: queued._id, status: 'undelivered' })) ?? undefined, 60_000);
    expect(failed.errorCode).toBe('30003');
    const receipt = parse((await deliveries.waitFor((r) => parse(r.value).notificationId === queued._id && parse(r.value).status === 'undelivered', 60_000)).value);
    expect(receipt).toMatchObject({ eventId: deterministicId('delivery', String(queued._id), 'undelivered'), error: { code: '30003' } });

    const mail = await sink.waitFor('dewi702@mail.test', () => true, 60_000);
    expect(mail.parsed.subject).toContain(`[SB-${ticket.number}]`);
    const fallback = await eventually(async () => (await db().collection('notifications').findOne({ fallbackOf: queued._id, status: 'sent' })) ?? undefined, 60_000);
    expect(fallback).toMatchObject({ channel: 'email', contactKey: 'email::dewi702@mail.test' });
    expect(twilioApi.messagesTo(UNDELIVERED_PHONE)).toHaveLength(1);
  });

  it('a message whose callbacks came is never checked: the watch judges it from the receipts alone', async () => {
    const ticket = await textIn(NORMAL_PHONE, 'refund saya belum masuk');
    const notification = await eventually(async () => (await db().collection('notifications').findOne({ ticketId: ticket._id, channel: 'sms', status: 'delivered' })) ?? undefined, 60_000);
    const sid = notification.providerMessageId as string;
    await deliveries.waitFor((r) => parse(r.value).notificationId === notification._id && parse(r.value).status === 'delivered', 60_000);

    // Wait until the watch has committed past every receipt there is now, this one's included.
    const kafka = new Kafka({ clientId: 'e2e-sms-check', brokers: platform.infra.kafkaBrokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(platform.topic('deliveries'));
      await eventually(async () => {
        const [committed] = await admin.fetchOffsets({ groupId: platform.topic('notifier-delivery-watch'), topics: [platform.topic('deliveries')] });
        const at = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
        return ends.every((e) => Number(e.high) === 0 || (at.get(e.partition) ?? -1) >= Number(e.high)) ? true : undefined;
      }, 60_000);
    } finally {
      await admin.disconnect();
    }
    expect(await db().collection('notification_delivery_checks').countDocuments({ _id: notification._id })).toBe(0);
    expect(checks.records.map((r) => parse(r.value)).filter((c) => c.notificationId === notification._id)).toEqual([]);
    expect(fetchesOf(sid)).toEqual([]);
  });
});
