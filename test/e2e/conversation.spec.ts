import { Kafka, logLevel, Producer } from 'kafkajs';
import { Connection } from 'mongoose';
import { createTransport, Transporter } from 'nodemailer';
import { randomUUID } from 'node:crypto';
import { Command, commandSchema, DeliveryReceipt, TicketEvent } from '@switchboard/contracts';
import { eventually, FakeMetaGraph, FakeTwilio, freePort, SmtpSink, twilioInboundSmsParams } from '@switchboard/testing';
import { Customer } from './customer';
import { usePlatform, useTopicReader } from './use-platform';

const OUR_NUMBER = '+15005550006';
const SUPPORT = 'support@example.com';
const APP_SECRET = 'e2e-conv-app-secret';
const AGENT = 'conv-putri';

interface StoredTicket {
  _id: string;
  number: number;
  status: string;
  category: string;
  language: string;
  assigneeId?: string;
  survey?: { score: number; messageId: string };
}

/**
 * The whole conversation, every service a process, one customer per channel: they write in and
 * are told their ticket number and first self-help steps in their language; an agent signs on over Kafka, accepts the offers, replies to
 * each on the channel they wrote from, sets one ticket pending and resolves it; the customer
 * answers the survey and is thanked.
 */
describe('conversation: received, agent replies, pending, resolved and the survey, on every channel', () => {
  const twilioApi = new FakeTwilio({ callbackDelayMs: 50 });
  const graph = new FakeMetaGraph({ accessToken: 'EAAG-conv-token', appSecret: APP_SECRET, phoneNumberId: '106500000000011', pageId: '104000000000012', instagramAccountId: '178410000000013', templates: {} });
  const sink = new SmtpSink();
  let ingressPort = 0;
  beforeAll(async () => {
    await twilioApi.start();
    await graph.start();
    await sink.start();
    ingressPort = await freePort();
  });

  const { platform, db: database } = usePlatform(['channel-inapp', 'channel-sms', 'channel-social', 'channel-email', 'classifier', 'router', 'notifier'], () => ({
    router: { ROUTER_POLL_MS: '100' },
    notifier: { NOTIFY_RETRY_DELAYS: '500ms,1s', NOTIFY_RETRY_POLL_MS: '200' },
    'channel-sms': { TWILIO_ACCOUNT_SID: twilioApi.accountSid, TWILIO_AUTH_TOKEN: twilioApi.authToken, TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: twilioApi.url },
    'channel-social': {
      META_APP_SECRET: APP_SECRET,
      META_VERIFY_TOKEN: 'conv-verify',
      META_ACCESS_TOKEN: graph.options.accessToken,
      WHATSAPP_PHONE_NUMBER_ID: graph.options.phoneNumberId,
      GRAPH_API_BASE_URL: graph.url,
      GRAPH_API_VERSION: 'v21.0',
    },
    'channel-email': { EMAIL_SMTP_PORT: String(ingressPort), EMAIL_SMTP_URL: sink.url, EMAIL_FROM: `Switchboard Support <${SUPPORT}>` },
  }));
  const tickets = useTopicReader(platform, 'tickets');
  const deliveries = useTopicReader(platform, 'deliveries');
  let db: Connection;
  let producer: Producer;
  let mailer: Transporter;
  let agentBot: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    db = database();
    producer = new Kafka({ clientId: 'e2e-conversation', brokers: platform.infra.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    mailer = createTransport({ host: '127.0.0.1', port: ingressPort, secure: false, ignoreTLS: true });
  });

  afterAll(async () => {
    clearInterval(agentBot);
    mailer?.close();
    await producer?.disconnect();
    await twilioApi.stop();
    await graph.stop();
    await sink.stop();
  });

  const ticketEvents = (): TicketEvent[] => tickets.records.map((r) => JSON.parse(r.value ?? 'null') as TicketEvent);
  const ticketOf = (contactKey: string) =>
    eventually(async () => (await db.collection<StoredTicket>('tickets').findOne({ contactKey })) ?? undefined, 60_000, `no ticket for ${contactKey}`);
  async function command(actor: Command['actor'], body: Command['command']): Promise<void> {
    const event = commandSchema.parse({ schemaVersion: 1, eventId: randomUUID(), actor, issuedAt: new Date().toISOString(), command: body });
    await producer.send({ topic: platform.topic('commands'), messages: [{ key: 'ticketId' in body ? body.ticketId : actor.id, value: JSON.stringify(event) }] });
  }
  const asAgent = { id: AGENT, role: 'agent' as const };

  // The four customers.
  const app = new Customer(platform, 'conv-sari');
  const phone = '+6281300000901';
  const waId = '6281200000902';
  const mail = 'wei@mail.test';
  const smsTexts = () => twilioApi.messages.filter((m) => m.to === phone).map((m) => m.body);
  const whatsappTexts = () => graph.sentTo(waId).map((r) => ((r.body.text as { body?: string } | undefined)?.body ?? ''));

  const found: Record<'inapp' | 'sms' | 'whatsapp' | 'email', StoredTicket | undefined> = { inapp: undefined, sms: undefined, whatsapp: undefined, email: undefined };
  const ticket = (key: keyof typeof found): StoredTicket => {
    const t = found[key];
    if (!t) throw new Error(`no ${key} ticket (did the first test fail?)`);
    return t;
  };

  it('tells each customer, on their channel and in their language, their ticket number and the first self-help steps', async () => {
    const socket = await app.openApp();
    expect((await app.send('Saldo saya kepotong Rp150.000 tapi transfer ke BCA gagal, tolong min')).status).toBe(202);
    const sms = twilioInboundSmsParams({ from: phone, to: OUR_NUMBER, body: 'I cannot log in, forgot my password and the account is locked', accountSid: twilioApi.accountSid });
    expect((await twilioApi.sendWebhook(`${platform.service('channel-sms').url}/webhooks/twilio/sms`, sms)).status).toBe(200);
    const whatsapp = graph.whatsappMessage({ waId, id: 'wamid.conv-first', name: 'Lina', text: '我申请的退款还没有到账，已经一个星期了' });
    expect((await graph.postWebhook(`${platform.service('channel-social').url}/webhooks/whatsapp`, whatsapp)).status).toBe(200);
    await mailer.sendMail({ from: `Wei <${mail}>`, to: SUPPORT, messageId: '<wei-1@mail.test>', subject: 'Refund not received', text: 'I asked for a refund of my top-up a week ago and it still has not arrived.' });

    found.inapp = await ticketOf('inapp::conv-sari');
    found.sms = await ticketOf(`sms:twilio:${phone}`);
    found.whatsapp = await ticketOf(`social:whatsapp:${waId}`);
    found.email = await ticketOf(`email::${mail}`);
    expect(found.inapp).toMatchObject({ language: 'id', category: 'transaction_failed' });
    expect(found.sms).toMatchObject({ language: 'en', category: 'login' });
    expect(found.whatsapp).toMatchObject({ language: 'zh', category: 'refund' });
    expect(found.email).toMatchObject({ language: 'en', category: 'refund' });

    const inappAck = await socket.waitForMessage((m) => m.kind === 'received');
    expect(inappAck.text).toContain(`Nomor tiket Anda #${ticket('inapp').number}`);
    expect(inappAck.text).toMatch(/periksa saldo Anda/);
    const smsAck = await eventually(() => smsTexts().find((t) => t.includes(`#${ticket('sms').number} received`)), 60_000, 'no SMS acknowledgement');
    expect(smsAck).toContain('Forgot password');
    const waAck = await eventually(() => whatsappTexts().find((t) => t.includes(`工单号是 #${ticket('whatsapp').number}`)), 60_000, 'no WhatsApp acknowledgement');
    expect(waAck).toContain('3-5个工作日');
    const mailAck = await sink.waitFor(mail, (m) => m.parsed.subject?.includes(`[SB-${ticket('email').number}]`) ?? false, 60_000);
    expect(mailAck.parsed.text).toContain('3-5 business days');
    expect(mailAck.headers['in-reply-to']).toBe('<wei-1@mail.test>');

    // No agent is on yet, so routing has no estimate of the wait: no queue update, the acknowledgement is all they get.
    expect(socket.received.map((m) => m.kind)).toEqual(['received']);
  });

  it('relays an agent’s replies on the channel each customer wrote from, in the thread, with delivery receipts', async () => {
    await command(asAgent, { type: 'agent.upsert', agent: { id: AGENT, displayName: 'Putri', skills: ['trust-and-safety', 'account-access', 'payments', 'refunds'], languages: ['id', 'en', 'zh'], teams: [], level: 2, presence: 'available', capacity: { chat: 5, sms: 5, social: 5, email: 5 } } });
    const accepted = new Set<string>();
    agentBot = setInterval(() => {
      for (const event of ticketEvents()) {
        if (event.type !== 'ticket.offered' || event.routing?.agentId !== AGENT || accepted.has(event.eventId)) continue;
        accepted.add(event.eventId);
        void command(asAgent, { type: 'ticket.accept', ticketId: event.ticket.id, agentId: AGENT });
      }
    }, 100);
    for (const key of ['inapp', 'sms', 'whatsapp', 'email'] as const) {
      await eventually(async () => (await db.collection<StoredTicket>('tickets').findOne({ _id: ticket(key)._id, status: 'assigned', assigneeId: AGENT })) ?? undefined, 60_000, `${key} ticket not assigned`);
    }
    // Wei asks for answers in Chinese from now on.
    await command(asAgent, { type: 'contact.set_language', contactKey: `email::${mail}`, language: 'zh' });
    await eventually(async () => (await db.collection<StoredTicket>('tickets').findOne({ _id: ticket('email')._id, preferredLanguage: 'zh' })) ?? undefined, 30_000, 'language not stored');

    // Another agent cannot answer on Putri's ticket.
    await command({ id: 'conv-rudi', role: 'agent' }, { type: 'ticket.reply', ticketId: ticket('sms')._id, agentId: 'conv-rudi', text: 'Rudi here, not your agent' });
    for (const key of ['inapp', 'sms', 'whatsapp', 'email'] as const) {
      await command(asAgent, { type: 'ticket.reply', ticketId: ticket(key)._id, agentId: AGENT, text: `We checked ticket ${ticket(key).number}: all is in order now.` });
    }

    const socket = app.socket;
    if (!socket) throw new Error('the app is not open');
    const inappReply = await socket.waitForMessage((m) => m.kind === 'agent_reply', 60_000);
    expect(inappReply.text).toBe(`We checked ticket ${ticket('inapp').number}: all is in order now.\n\nPutri`);
    await eventually(() => smsTexts().find((t) => t === `We checked ticket ${ticket('sms').number}: all is in order now.`), 60_000, 'no SMS reply');
    await eventually(() => whatsappTexts().find((t) => t.startsWith(`We checked ticket ${ticket('whatsapp').number}`)), 60_000, 'no WhatsApp reply');
    const mailReply = await sink.waitFor(mail, (m) => m.parsed.text?.includes(`We checked ticket ${ticket('email').number}`) ?? false, 60_000);
    expect(mailReply.parsed.subject).toBe(`回复：您的工单 [SB-${ticket('email').number}]`);
    expect(mailReply.headers['in-reply-to']).toBe('<wei-1@mail.test>');
    expect(mailReply.headers['auto-submitted']).toBeUndefined();

    // The replies are in each ticket's conversation; the refused one is nowhere.
    const stored = await db.collection('ticket_messages').find({ direction: 'outbound' }).toArray();
    expect(stored.map((m) => m.ticketId).sort()).toEqual((['inapp', 'sms', 'whatsapp', 'email'] as const).map((k) => ticket(k)._id).sort());
    expect(smsTexts().some((t) => t.includes('Rudi'))).toBe(false);
    expect(ticketEvents().filter((e) => e.type === 'ticket.agent_replied')).toHaveLength(4);

    const replyNotification = await eventually(async () => (await db.collection('notifications').findOne({ ticketId: ticket('sms')._id, kind: 'agent_reply', status: 'delivered' })) ?? undefined, 60_000, 'SMS reply not delivered');
    const receipts = deliveries.records.map((r) => JSON.parse(r.value ?? 'null') as DeliveryReceipt).filter((r) => r.notificationId === String(replyNotification._id));
    // queued (the create answer) is left out when Twilio's sent callback went out first.
    expect(receipts.map((r) => r.status)).toEqual(expect.arrayContaining(['sent', 'delivered']));
    // The reply was the first response: the SLA clock stopped.
    await eventually(async () => (await db.collection('tickets').findOne({ _id: ticket('sms')._id as never, 'routing.firstRespondedAt': { $exists: true } })) ?? undefined, 30_000, 'first response not recorded');
  });

  it('tells the customer the ticket waits for them, and their next message makes it active again', async () => {
    const socket = app.socket;
    if (!socket) throw new Error('the app is not open');
    await command(asAgent, { type: 'ticket.add_note', ticketId: ticket('inapp')._id, text: 'asked for the receipt' });
    await command(asAgent, { type: 'ticket.set_pending', ticketId: ticket('inapp')._id });
    const waiting = await socket.waitForMessage((m) => m.kind === 'waiting_for_customer', 60_000);
    expect(waiting.text).toContain(`Kami perlu balasan Anda untuk melanjutkan tiket #${ticket('inapp').number}`);
    expect(await db.collection('tickets').findOne({ _id: ticket('inapp')._id as never })).toMatchObject({ status: 'pending', slaPausedAt: expect.any(Date) });
    expect(socket.received.some((m) => m.text.includes('asked for the receipt'))).toBe(false);
    // The lease holder paused the ticket's SLA clocks, and says so in its routing log.
    const logged = (type: string) => eventually(async () => (await db.collection('routing_log').findOne({ ticketId: ticket('inapp')._id, 'decision.type': type })) ?? undefined, 30_000, `no ${type} in the routing log`);
    expect((await logged('slaPaused')).decision.explanation[0]).toContain('paused while waiting for the customer');

    await app.send('ini struknya, jam 10 pagi');
    const active = await eventually(async () => (await db.collection('tickets').findOne({ _id: ticket('inapp')._id as never, status: 'assigned' })) ?? undefined, 60_000, 'not active again');
    // The wait is kept with the ticket (a new lease holder counts it), and the clocks run on.
    expect(active.slaPausedAt).toBeUndefined();
    expect(active.slaPauses).toEqual([{ from: expect.any(Date), to: expect.any(Date) }]);
    expect((await logged('slaResumed')).decision.explanation[0]).toContain('run on after');
  });

  it('sends the survey with the resolution and records the customer’s answer, leaving the ticket resolved', async () => {
    const socket = app.socket;
    if (!socket) throw new Error('the app is not open');
    await command(asAgent, { type: 'ticket.resolve', ticketId: ticket('inapp')._id });
    const resolved = await socket.waitForMessage((m) => m.kind === 'resolved', 60_000);
    expect(resolved.text).toContain('Balas dengan angka 1 (tidak puas) sampai 5 (sangat puas)');

    const answer = await app.send('5');
    const answered = await tickets.waitFor((r) => (JSON.parse(r.value ?? 'null') as TicketEvent).type === 'ticket.survey_answered', 60_000);
    expect(JSON.parse(answered.value ?? 'null')).toMatchObject({ ticket: { id: ticket('inapp')._id, status: 'resolved' }, survey: { score: 5, messageId: answer.body.eventId } });
    expect(await db.collection('tickets').findOne({ _id: ticket('inapp')._id as never })).toMatchObject({ status: 'resolved', survey: { score: 5 } });
    expect(await db.collection('tickets').countDocuments({ contactKey: 'inapp::conv-sari' })).toBe(1);
    // Thanked once, in the customer's language, on the channel they answered on.
    const thanks = await socket.waitForMessage((m) => m.kind === 'survey_thanks', 60_000);
    expect(thanks.text).toBe(`Terima kasih telah menilai tiket #${ticket('inapp').number}. Kami senang dapat membantu.`);
  });

  it('retries an SMS that failed for a temporary reason with backoff, then marks it failed for the agents', async () => {
    const unlucky = '+6281300000903';
    twilioApi.failDeliveries(unlucky, { status: 'failed', errorCode: 30008 });
    const sms = twilioInboundSmsParams({ from: unlucky, to: OUR_NUMBER, body: 'my transfer failed but the balance was deducted', accountSid: twilioApi.accountSid });
    expect((await twilioApi.sendWebhook(`${platform.service('channel-sms').url}/webhooks/twilio/sms`, sms)).status).toBe(200);
    const failing = await ticketOf(`sms:twilio:${unlucky}`);

    const original = await eventually(
      async () => (await db.collection('notifications').findOne({ ticketId: failing._id, kind: 'received', retryOf: { $exists: false }, gaveUpAt: { $exists: true } })) ?? undefined,
      60_000,
      'the acknowledgement was not given up after its retries',
    );
    expect(original).toMatchObject({ status: 'failed', errorCode: '30008' });
    const retries = await db.collection('notifications').find({ retryOf: String(original._id) }).sort({ retry: 1 }).toArray();
    expect(retries.map((r) => [r.retry, r.status, r.errorCode])).toEqual([[1, 'failed', '30008'], [2, 'failed', '30008']]);
    // The same message went out three times, each a new send at Twilio.
    const sent = twilioApi.messagesTo(unlucky).filter((m) => m.body === original.text);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((m) => m.sid)).size).toBe(3);
    for (const retry of retries) expect(retry).toMatchObject({ dueAt: expect.any(Date), dispatchedAt: expect.any(Date), channel: 'sms' });
  });
});
