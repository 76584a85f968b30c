import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { Connection } from 'mongoose';
import { deterministicId, InboundMessage, outboundMessageSchema } from '@switchboard/contracts';
import { eventually, FakeTwilio, ReadRecord, twilioInboundSmsParams } from '@switchboard/testing';
import { usePlatform, useTopicReader } from './use-platform';

const OUR_NUMBER = '+15005550006';

describe('SMS through Twilio: signed webhook to ticket, acknowledgement through the SDK, receipts back', () => {
  // Real callbacks come seconds after the API answer; a quarter second keeps their order realistic.
  const twilioApi = new FakeTwilio({ callbackDelayMs: 250 });
  beforeAll(() => twilioApi.start());

  const { platform, db: database } = usePlatform(['classifier', 'router', 'notifier', 'channel-sms'], () => ({
    'channel-sms': { TWILIO_ACCOUNT_SID: twilioApi.accountSid, TWILIO_AUTH_TOKEN: twilioApi.authToken, TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: twilioApi.url },
  }));
  let db: Connection;
  const inbound = useTopicReader(platform, 'inbound');
  const deliveries = useTopicReader(platform, 'deliveries');
  let producer: Producer;

  beforeAll(async () => {
    db = database();
    producer = new Kafka({ clientId: 'e2e-sms', brokers: platform.infra.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await twilioApi.stop();
  });

  const webhook = (path = '/webhooks/twilio/sms') => `${platform.service('channel-sms').url}${path}`;
  const sms = (from: string, body: string, extra: Partial<Parameters<typeof twilioInboundSmsParams>[0]> = {}) =>
    twilioInboundSmsParams({ from, body, to: OUR_NUMBER, accountSid: twilioApi.accountSid, ...extra });
  const inboundEvent = (r: ReadRecord) => JSON.parse(r.value ?? 'null') as InboundMessage;
  const receipts = (notificationId: string) => deliveries.records.map((r) => JSON.parse(r.value ?? 'null')).filter((r) => r.notificationId === notificationId);
  const receipt = (notificationId: string, status: string) =>
    deliveries.waitFor((r) => JSON.parse(r.value ?? 'null').notificationId === notificationId && JSON.parse(r.value ?? 'null').status === status, 60_000).then((r) => JSON.parse(r.value ?? 'null'));
  const ticketOf = (phone: string) => eventually(async () => (await db.collection('tickets').findOne({ contactKey: `sms:twilio:${phone}` })) ?? undefined, 60_000);
  const notificationOf = (ticketId: unknown) => eventually(async () => (await db.collection('notifications').findOne({ ticketId })) ?? undefined, 60_000);

  /** Publishes on outbound.sms as the notifier does. */
  async function notify(phone: string, text: string, notificationId: string = randomUUID(), eventId = deterministicId('outbound', notificationId)): Promise<string> {
    const contact = { channel: 'sms' as const, address: phone, provider: 'twilio' };
    const outbound = outboundMessageSchema.parse({
      schemaVersion: 1,
      eventId,
      notificationId,
      kind: 'acknowledgement',
      ticketId: randomUUID(),
      ticketNumber: 999,
      channel: 'sms',
      contact,
      contactKey: `sms:twilio:${phone}`,
      language: 'en',
      text,
      createdAt: new Date().toISOString(),
    });
    await producer.send({ topic: platform.topic('outbound.sms'), messages: [{ key: outbound.contactKey, value: JSON.stringify(outbound) }] });
    return notificationId;
  }

  it('turns a signed SMS into a ticket and texts the acknowledgement back, delivered', async () => {
    const phone = '+6281200000001';
    const params = sms(phone, 'gk bisa login min, akun saya terkunci');
    const response = await twilioApi.sendWebhook(webhook(), params);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await response.text()).toMatch(/<Response\s*\/>|<Response><\/Response>/);

    const event = inboundEvent(await inbound.waitFor((r) => inboundEvent(r).providerMessageId === params.MessageSid));
    expect(event).toMatchObject({
      eventId: deterministicId('inbound', 'twilio', params.MessageSid),
      channel: 'sms',
      contact: { channel: 'sms', address: phone, provider: 'twilio' },
      identities: [{ kind: 'phone', value: phone, verified: true }],
      text: 'gk bisa login min, akun saya terkunci',
    });

    const ticket = await ticketOf(phone);
    expect(ticket).toMatchObject({ channel: 'sms', language: 'id', contact: { address: phone } });

    const ack = await twilioApi.waitForMessage((m) => m.to === phone, 60_000);
    expect(ack).toMatchObject({ from: OUR_NUMBER, accountSid: twilioApi.accountSid });
    expect(ack.body).toContain(`#${ticket.number}`);
    expect(ack.statusCallback).toMatch(new RegExp(`^${platform.service('channel-sms').url}/webhooks/twilio/status\\?notificationId=`));

    const notification = await notificationOf(ticket._id);
    const delivered = await receipt(String(notification._id), 'delivered');
    expect(delivered).toMatchObject({ channel: 'sms', providerMessageId: ack.sid });
    // sent and delivered come from Twilio's callbacks; queued (the create answer) only when it went out before them.
    const statuses = receipts(String(notification._id)).map((r) => r.status);
    expect(statuses).toEqual(expect.arrayContaining(['sent', 'delivered']));
    expect(statuses.filter((s) => s !== 'sent' && s !== 'delivered')).toEqual(statuses.includes('queued') ? ['queued'] : []);
    expect(new Set(receipts(String(notification._id)).map((r) => r.providerMessageId))).toEqual(new Set([ack.sid]));
    await eventually(() => ack.callbacks.length === 2 || undefined);
    expect(ack.callbacks).toEqual([
      { status: 'sent', httpStatus: 204 },
      { status: 'delivered', httpStatus: 204 },
    ]);
    await eventually(async () => (await db.collection('notifications').findOne({ _id: notification._id, status: 'delivered' })) ?? undefined, 30_000);
  });

  it('refuses forged, tampered and unsigned webhooks with 403 and publishes nothing', async () => {
    const phone = '+6281200000002';
    const forged = sms(phone, 'akun saya dibobol, tolong blokir');
    const wrongKey = new FakeTwilio({ accountSid: twilioApi.accountSid });
    expect((await twilioApi.sendWebhook(webhook(), forged, { signature: wrongKey.signature(webhook(), forged) })).status).toBe(403);
    expect((await twilioApi.sendWebhook(webhook(), forged, { signature: null })).status).toBe(403);
    const tampered = sms(phone, 'refund saya belum masuk');
    const signature = twilioApi.signature(webhook(), tampered);
    expect((await twilioApi.sendWebhook(webhook(), { ...tampered, Body: 'transfer ke rekening lain' }, { signature })).status).toBe(403);
    // Signed for another URL: what a proxy in front of a misconfigured SMS_PUBLIC_BASE_URL looks like.
    expect((await twilioApi.sendWebhook(webhook(), forged, { signature: twilioApi.signature('https://sms.example.com/webhooks/twilio/sms', forged) })).status).toBe(403);
    const status = { MessageSid: 'SM' + 'e'.repeat(32), AccountSid: twilioApi.accountSid, MessageStatus: 'delivered' };
    expect((await twilioApi.sendWebhook(webhook('/webhooks/twilio/status?notificationId=x'), status, { signature: null })).status).toBe(403);

    // A genuine message afterwards goes through; the refused ones never reached the bus.
    const genuine = sms(phone, 'akun saya dibobol, tolong blokir');
    expect((await twilioApi.sendWebhook(webhook(), genuine)).status).toBe(200);
    await inbound.waitFor((r) => inboundEvent(r).providerMessageId === genuine.MessageSid);
    expect(inbound.records.filter((r) => [forged.MessageSid, tampered.MessageSid].includes(inboundEvent(r).providerMessageId))).toEqual([]);
    expect(receipts('x')).toEqual([]);
  });

  it('makes one message of a webhook Twilio delivers twice', async () => {
    const phone = '+6281200000003';
    const params = sms(phone, 'saldo kepotong tapi transfer gagal');
    expect((await twilioApi.sendWebhook(webhook(), params)).status).toBe(200);
    expect((await twilioApi.sendWebhook(webhook(), params)).status).toBe(200);
    const eventId = deterministicId('inbound', 'twilio', params.MessageSid);
    await eventually(() => inbound.records.filter((r) => inboundEvent(r).eventId === eventId).length === 2 || undefined);

    const ticket = await ticketOf(phone);
    const notification = await notificationOf(ticket._id);
    await receipt(String(notification._id), 'delivered');
    expect(await db.collection('ticket_messages').countDocuments({ contactKey: `sms:twilio:${phone}` })).toBe(1);
    expect(await db.collection('tickets').countDocuments({ contactKey: `sms:twilio:${phone}` })).toBe(1);
    expect(twilioApi.messagesTo(phone)).toHaveLength(1);
  });

  it('keeps MMS media as attachments', async () => {
    const media = [
      { url: `https://api.twilio.com/2010-04-01/Accounts/${twilioApi.accountSid}/Messages/MM1/Media/ME1`, contentType: 'image/jpeg' },
      { url: `https://api.twilio.com/2010-04-01/Accounts/${twilioApi.accountSid}/Messages/MM1/Media/ME2`, contentType: 'image/png' },
    ];
    const params = sms('+6281200000004', 'ini bukti transfer yang gagal', { media });
    expect((await twilioApi.sendWebhook(webhook(), params)).status).toBe(200);
    const event = inboundEvent(await inbound.waitFor((r) => inboundEvent(r).providerMessageId === params.MessageSid));
    expect(event.attachments).toEqual(media.map((m) => ({ contentType: m.contentType, url: m.url })));
  });

  it('takes STOP as control, not a ticket: nothing is sent (opted_out receipt); answers HELP; sends again after START', async () => {
    const phone = '+6281200000005';
    const stop = sms(phone, ' Stop ');
    const stopped = await twilioApi.sendWebhook(webhook(), stop);
    expect(stopped.status).toBe(200);
    expect(await stopped.text()).not.toMatch(/<Message>/);
    expect(await db.collection('sms_opt_outs').findOne({ _id: phone as never })).toMatchObject({ optedOut: true });

    const help = await twilioApi.sendWebhook(webhook(), sms(phone, 'help'));
    expect(help.status).toBe(200);
    expect(await help.text()).toMatch(/<Response><Message>Switchboard support: .*Reply STOP to stop messages, START to resume\.<\/Message><\/Response>/);

    // A question after STOP still becomes a ticket; its acknowledgement is not sent.
    const question = sms(phone, 'transfer gagal tapi saldo terpotong');
    expect((await twilioApi.sendWebhook(webhook(), question)).status).toBe(200);
    const ticket = await ticketOf(phone);
    const notification = await notificationOf(ticket._id);
    const refused = await receipt(String(notification._id), 'failed');
    expect(refused.error).toMatchObject({ code: 'opted_out' });
    await eventually(async () => (await db.collection('notifications').findOne({ _id: notification._id, status: 'failed' })) ?? undefined, 30_000);
    expect(twilioApi.requests.filter((r) => r.params.To === phone)).toEqual([]);
    // The control messages never reached the bus.
    expect(inbound.records.filter((r) => inboundEvent(r).contact.address === phone).map((r) => inboundEvent(r).providerMessageId)).toEqual([question.MessageSid]);

    expect((await twilioApi.sendWebhook(webhook(), sms(phone, 'START'))).status).toBe(200);
    expect(await db.collection('sms_opt_outs').findOne({ _id: phone as never })).toMatchObject({ optedOut: false });
    const again = await notify(phone, 'Your ticket #999 is still open.');
    await receipt(again, 'delivered');
    expect(twilioApi.messagesTo(phone).map((m) => m.body)).toEqual(['Your ticket #999 is still open.']);
  });

  it('reports a message the carrier could not deliver, with Twilio’s error code', async () => {
    const phone = '+6281200000006';
    twilioApi.failDeliveries(phone, { status: 'undelivered', errorCode: 30003 });
    expect((await twilioApi.sendWebhook(webhook(), sms(phone, 'refund belum masuk sudah seminggu')))).toHaveProperty('status', 200);
    const ticket = await ticketOf(phone);
    const notification = await notificationOf(ticket._id);
    const undelivered = await receipt(String(notification._id), 'undelivered');
    expect(undelivered).toMatchObject({ error: { code: '30003' }, providerMessageId: twilioApi.messagesTo(phone)[0]?.sid });
    await eventually(async () => (await db.collection('notifications').findOne({ _id: notification._id, status: 'undelivered' })) ?? undefined, 30_000);

    const failing = '+6281200000007';
    twilioApi.failDeliveries(failing, { status: 'failed', errorCode: 30008 });
    const failed = await receipt(await notify(failing, 'Your ticket #999 is open.'), 'failed');
    expect(failed.error).toMatchObject({ code: '30008' });
  });

  it('reports a message Twilio refuses (invalid number) as failed with the code, once', async () => {
    const notificationId = await notify('+0000', 'Your ticket #999 is open.');
    const failed = await receipt(notificationId, 'failed');
    expect(failed.error).toMatchObject({ code: '21211' });
    expect(await db.collection('sms_outbox').findOne({ _id: notificationId as never })).toMatchObject({ state: 'refused', attempts: 1 });
  });

  it('sends a notification once, however often it is asked to', async () => {
    const phone = '+6281200000009';
    const notificationId = await notify(phone, 'Your ticket #999 is open.');
    await receipt(notificationId, 'delivered');
    // The same notification under a new event id passes the consumer's event dedupe; the outbox stops it.
    await notify(phone, 'Your ticket #999 is open.', notificationId, randomUUID());
    const barrier = await notify(phone, 'Second notification.');
    await receipt(barrier, 'delivered');
    expect(twilioApi.messagesTo(phone).map((m) => m.body)).toEqual(['Your ticket #999 is open.', 'Second notification.']);
    expect(await db.collection('sms_outbox').findOne({ _id: notificationId as never })).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('answers malformed and oversized webhooks with 4xx and keeps serving', async () => {
    const noFrom = sms('+6281200000008', 'hi');
    delete (noFrom as Record<string, string>).From;
    const missing = await twilioApi.sendWebhook(webhook(), noFrom);
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.stringify(await missing.json())).toMatch(/From/);
    const badMedia = { ...sms('+6281200000008', 'hi'), NumMedia: '1' };
    expect((await twilioApi.sendWebhook(webhook(), badMedia)).status).toBe(400);
    const huge = sms('+6281200000008', 'x'.repeat(100_000));
    expect((await twilioApi.sendWebhook(webhook(), huge)).status).toBe(413);
    const json = await fetch(webhook(), { method: 'POST', headers: { 'content-type': 'application/json', 'x-twilio-signature': 'x' }, body: '{"From": ' });
    expect(json.status).toBeGreaterThanOrEqual(400);
    expect(json.status).toBeLessThan(500);
    expect((await fetch(`${platform.service('channel-sms').url}/health`)).status).toBe(200);
  });
});
