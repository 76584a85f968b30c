import { Connection } from 'mongoose';
import { outboundMessageSchema, TicketEvent } from '@switchboard/contracts';
import { NotificationRepository, openMongo } from '@switchboard/persistence';
import { testInfra, uniqueName } from '@switchboard/testing';
import { NotifyCustomerUseCase } from './notify-customer.use-case';

type Ticket = TicketEvent['ticket'];
const NO_ENTITIES = { amounts: [], transactionIds: [], merchants: [], maskedDigits: [] };

function event(type: TicketEvent['type'], ticketId: string, ticket: Partial<Ticket> = {}, message: Partial<NonNullable<TicketEvent['message']>> = {}): TicketEvent {
  const channel = ticket.channel ?? 'inapp';
  return {
    schemaVersion: 1,
    eventId: `${type}-${ticketId}`,
    type,
    ticket: {
      id: ticketId,
      number: 77,
      status: 'open',
      category: 'refund',
      confidence: 0.9,
      triage: false,
      queue: 'refunds',
      priority: 40,
      language: 'zh',
      urgency: [],
      channel,
      contact: { channel, address: 'li' },
      contactKey: `${channel}::li`,
      openedAt: '2026-11-24T08:00:00.000Z',
      ...ticket,
    },
    messageId: 'm1',
    message: { channel, providerMessageId: 'p1', autoSubmitted: false, entities: { ...NO_ENTITIES, amounts: [{ value: 1, currency: 'IDR', text: 'Rp1' }], merchants: ['Tokopedia'], incidentTimeText: 'kemarin' }, ...message },
    causationId: 'm1',
    occurredAt: '2026-11-24T08:00:00.000Z',
  };
}

describe('NotifyCustomerUseCase against a real MongoDB-wire server', () => {
  const infra = testInfra();
  let connection: Connection;
  let notifications: NotificationRepository;
  let useCase: NotifyCustomerUseCase;
  const one = async (e: TicketEvent) => {
    const [outbound, ...rest] = await useCase.execute(e, new Date());
    expect(rest).toEqual([]);
    if (!outbound) throw new Error('expected a notification');
    return outboundMessageSchema.parse(outbound);
  };

  beforeAll(async () => {
    connection = await openMongo({ url: infra.mongoUrl, dbName: uniqueName('notifier').replace(/-/g, '_') });
    notifications = new NotificationRepository(connection);
    await notifications.ensureIndexes();
    useCase = new NotifyCustomerUseCase(notifications, { defaultLanguage: 'id', maxPerContactPerHour: 1000 });
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('tells an opened ticket’s customer it was received, in their language, on their channel, with the self-help steps', async () => {
    const outbound = await one(event('ticket.opened', 't1'));
    expect(outbound).toMatchObject({ kind: 'received', channel: 'inapp', language: 'zh', ticketNumber: 77, automatic: true });
    expect(outbound.text).toContain('工单号是 #77');
    expect(outbound.text).toContain('3-5个工作日');
    expect(await notifications.model.countDocuments({ ticketId: 't1' })).toBe(1);
  });

  it('sends the same notification again, not a new one, when the event is redelivered', async () => {
    const first = await one(event('ticket.opened', 't2'));
    const again = await one(event('ticket.opened', 't2'));
    expect(again.notificationId).toBe(first.notificationId);
    expect(again.eventId).toBe(first.eventId);
    expect(await notifications.model.countDocuments({ ticketId: 't2' })).toBe(1);
  });

  it('stays quiet on follow-up messages and never answers auto-submitted mail', async () => {
    expect(await useCase.execute(event('ticket.message_added', 't3'), new Date())).toEqual([]);
    expect(await useCase.execute(event('ticket.opened', 't3b', { channel: 'email' }, { autoSubmitted: true }), new Date())).toEqual([]);
  });

  it('asks in the same message for exactly the payment details the customer left out', async () => {
    const outbound = await one(event('ticket.opened', 't7', { category: 'transaction_failed', language: 'en' }, { entities: { ...NO_ENTITIES, merchants: ['BCA'] } }));
    expect(outbound.text).toMatch(/#77[\s\S]*we need the time of the transaction and the amount/);
    const sms = await one(event('ticket.opened', 't8', { category: 'refund', language: 'id', channel: 'sms' }, { entities: NO_ENTITIES }));
    expect(sms.text).toBe('Tiket #77: mohon balas dengan waktu transaksi, nominalnya dan nama merchant.');
    const complete = await one(event('ticket.opened', 't9', { category: 'refund', language: 'en' }));
    expect(complete.text).not.toContain('we need');
  });

  it('writes email with a subject carrying the token, HTML, and the customer’s thread', async () => {
    const outbound = await one(event('ticket.opened', 't10', { channel: 'email', language: 'en', category: 'login' }, { providerMessageId: '<abc@mail.test>' }));
    expect(outbound).toMatchObject({ subject: 'We received your message [SB-77]', inReplyTo: '<abc@mail.test>' });
    expect(outbound.html).toContain('<p>');
  });

  it('replies in the configured default language when the language could not be told', async () => {
    expect((await one(event('ticket.opened', 't11', { language: 'und' }))).language).toBe('id');
  });

  it('escalates an account takeover in progress with a second, urgent message', async () => {
    const sent = await useCase.execute(event('ticket.opened', 't12', { category: 'account_security', urgency: ['takeover_in_progress'], language: 'en' }), new Date());
    expect(sent.map((m) => m.kind)).toEqual(['received', 'escalated']);
    expect(sent[1].text).toMatch(/security team/);
  });

  it('tells the customer a reopened ticket is open again, once per reopening', async () => {
    const first = await one(event('ticket.reopened', 't13', { language: 'en' }));
    expect(first).toMatchObject({ kind: 'reopened', text: expect.stringContaining('We reopened ticket #77') });
    expect((await one(event('ticket.reopened', 't13', { language: 'en' }))).notificationId).toBe(first.notificationId);
  });

  it('records delivery receipts, and ignores receipts for unknown notifications', async () => {
    const outbound = await one(event('ticket.opened', 't4'));
    expect(await notifications.recordDelivery(outbound.notificationId, { status: 'delivered', at: new Date() })).toBe(true);
    expect(await notifications.recordDelivery('nope', { status: 'delivered', at: new Date() })).toBe(false);
    expect((await notifications.model.findById(outbound.notificationId).lean())?.status).toBe('delivered');
  });

  it('keeps the furthest status when a provider reports out of order, with its message id and error code', async () => {
    const { notificationId: id } = await one(event('ticket.opened', 't5'));
    await notifications.recordDelivery(id, { status: 'delivered', at: new Date('2026-11-29T10:00:02Z'), providerMessageId: 'SM1' });
    await notifications.recordDelivery(id, { status: 'sent', at: new Date('2026-11-29T10:00:01Z'), providerMessageId: 'SM1' });
    let stored = await notifications.model.findById(id).lean();
    expect(stored).toMatchObject({ status: 'delivered', providerMessageId: 'SM1' });
    expect(stored?.deliveries.map((d) => d.status)).toEqual(['delivered', 'sent']);

    const failing = await one(event('ticket.opened', 't6'));
    await notifications.recordDelivery(failing.notificationId, { status: 'sent', at: new Date(), providerMessageId: 'SM2' });
    await notifications.recordDelivery(failing.notificationId, { status: 'undelivered', at: new Date(), errorCode: '30003', error: 'Unreachable destination handset' });
    stored = await notifications.model.findById(failing.notificationId).lean();
    expect(stored).toMatchObject({ status: 'undelivered', providerMessageId: 'SM2', errorCode: '30003' });
  });

  it('holds back messages beyond the contact’s hourly limit, storing them for agents, and still repeats what it sent', async () => {
    const limited = new NotifyCustomerUseCase(notifications, { defaultLanguage: 'en', maxPerContactPerHour: 3 });
    const forContact = (id: string) => event('ticket.opened', id, { contactKey: 'inapp::flood', contact: { channel: 'inapp', address: 'flood' } });
    for (const id of ['f1', 'f2', 'f3']) expect(await limited.execute(forContact(id), new Date())).toHaveLength(1);
    expect(await limited.execute(forContact('f4'), new Date())).toEqual([]);
    expect(await notifications.model.findOne({ ticketId: 'f4' }).lean()).toMatchObject({ status: 'failed', errorCode: 'rate_limited' });
    expect(await limited.execute(forContact('f2'), new Date())).toHaveLength(1);
  });

  it('applies the hourly limit within a batch too, counting only what it sent, and repeats a redelivered batch as it was', async () => {
    const limited = new NotifyCustomerUseCase(notifications, { defaultLanguage: 'en', maxPerContactPerHour: 3 });
    const forContact = (id: string) => event('ticket.opened', id, { contactKey: 'inapp::batch-flood', contact: { channel: 'inapp', address: 'batch-flood' } });
    const other = event('ticket.opened', 'b-other', { contactKey: 'inapp::calm', contact: { channel: 'inapp', address: 'calm' } });
    const batch = [forContact('b1'), other, forContact('b2'), forContact('b2'), forContact('b3'), forContact('b4'), forContact('b5')];
    const sent = await limited.executeBatch(batch, new Date());
    // b2 twice in the batch (a redelivery next to the original) is one message.
    expect(sent.map((list) => list.map((o) => o.ticketId))).toEqual([['b1'], ['b-other'], ['b2'], [], ['b3'], [], []]);
    for (const id of ['b4', 'b5']) expect(await notifications.model.findOne({ ticketId: id }).lean()).toMatchObject({ status: 'failed', errorCode: 'rate_limited' });
    expect(await notifications.recentSendsTo('inapp::batch-flood', new Date())).toBe(3);
    expect(await notifications.recentSendsTo('inapp::calm', new Date())).toBe(1);

    const again = await limited.executeBatch(batch, new Date());
    expect(again.map((list) => list.map((o) => o.notificationId))).toEqual(sent.map((list) => list.map((o) => o.notificationId)));
    expect(await notifications.recentSendsTo('inapp::batch-flood', new Date())).toBe(3);
    expect(await limited.execute(forContact('b6'), new Date())).toEqual([]);
  });

  it('tells the customer the name of the agent who took the ticket, once per agent, and stays quiet for unnamed agents', async () => {
    const named = new NotifyCustomerUseCase(notifications, { defaultLanguage: 'en', maxPerContactPerHour: 1000 }, () => ({}), async (ids) => new Map(ids.filter((id) => id === 'agent-putri').map((id) => [id, 'Putri'])));
    const assigned = (agentId: string): TicketEvent => ({ ...event('ticket.assigned', 't20', { language: 'id' }), eventId: `assigned-${agentId}`, routing: { agentId, explanation: [] } });
    const [first] = await named.execute(assigned('agent-putri'), new Date());
    expect(first).toMatchObject({ kind: 'assigned', text: 'Putri dari tim kami sekarang menangani tiket #77.' });
    const [again] = await named.execute(assigned('agent-putri'), new Date());
    expect(again.notificationId).toBe(first.notificationId);
    expect(await named.execute(assigned('agent-17'), new Date())).toEqual([]);
  });

  it('relays an agent’s reply on the channel and address the customer wrote from last, keeping the email thread, never rate-limited', async () => {
    const strict = new NotifyCustomerUseCase(notifications, { defaultLanguage: 'en', maxPerContactPerHour: 1 }, () => ({}), async (ids) => new Map(ids.filter((id) => id === 'putri').map((id) => [id, 'Putri'])));
    const mail = { channel: 'email' as const, address: 'li@mail.test' };
    const reply = (messageId: string): TicketEvent => ({
      ...event('ticket.agent_replied', 't30', { language: 'en' }),
      eventId: `reply-${messageId}`,
      message: { channel: 'email', providerMessageId: '<last@mail.test>', contact: mail, contactKey: 'email::li@mail.test', autoSubmitted: false },
      reply: { messageId, agentId: 'putri', text: 'Your refund was approved today.' },
    });
    const [first] = await strict.execute(reply('r1'), new Date());
    expect(first).toMatchObject({ kind: 'agent_reply', channel: 'email', contact: mail, contactKey: 'email::li@mail.test', automatic: false, inReplyTo: '<last@mail.test>', subject: 'Re: your ticket [SB-77]' });
    expect(first.text).toBe('Your refund was approved today.\n\nPutri');
    // A second reply right after is the agent talking, not an automatic message: the hourly limit of 1 does not hold it.
    const [second] = await strict.execute(reply('r2'), new Date());
    expect(second).toMatchObject({ kind: 'agent_reply', text: expect.stringContaining('approved') });
    expect((await one(reply('r1'))).notificationId).toBe(first.notificationId);
  });

  it('tells the customer when the ticket waits for them and when it is resolved, with the survey question', async () => {
    const pending = await one({ ...event('ticket.pending', 't31', { language: 'id' }), message: undefined });
    expect(pending).toMatchObject({ kind: 'waiting_for_customer', text: expect.stringContaining('Kami perlu balasan Anda') });
    const resolved = await one({ ...event('ticket.resolved', 't31', { language: 'id', channel: 'sms', contactKey: 'sms:twilio:+62811', contact: { channel: 'sms', address: '+62811', provider: 'twilio' } }), message: undefined });
    expect(resolved).toMatchObject({ kind: 'resolved', channel: 'sms', text: 'Tiket #77 selesai. Beri nilai 1-5 dengan membalas.' });
  });

  it('thanks a customer for their survey answer once per ticket, telling an unhappy one that a reply gets an agent to look again', async () => {
    const answered = (ticketId: string, score: number, messageId: string, ticket: Partial<Ticket> = {}): TicketEvent => ({ ...event('ticket.survey_answered', ticketId, { status: 'resolved', ...ticket }), eventId: `answered-${messageId}`, survey: { score, messageId } });
    const sms = { channel: 'sms' as const, contactKey: 'sms:twilio:+62812', contact: { channel: 'sms' as const, address: '+62812', provider: 'twilio' } };
    const unhappy = await one(answered('t35', 1, 'a1', { language: 'id', ...sms }));
    expect(unhappy).toMatchObject({ kind: 'survey_thanks', channel: 'sms', text: 'Terima kasih atas nilai untuk tiket #77. Maaf belum memuaskan. Belum selesai? Balas, agen akan memeriksa lagi.' });
    // A later rating is only a message on the ticket: its event repeats the first answer, and the customer is not thanked twice.
    expect((await one(answered('t35', 5, 'a2', { language: 'id', ...sms }))).notificationId).toBe(unhappy.notificationId);
    expect(await connection.collection('notifications').countDocuments({ ticketId: 't35' })).toBe(1);

    const happy = await one(answered('t36', 5, 'a3', { language: 'en', channel: 'email', contactKey: 'email::li@mail.test', contact: { channel: 'email', address: 'li@mail.test' } }));
    expect(happy).toMatchObject({ kind: 'survey_thanks', subject: 'Thank you for your feedback [SB-77]', text: 'Thank you for rating ticket #77. We are glad we could help.' });
    expect((await one(answered('t37', 3, 'a4', { language: 'zh' }))).text).toBe('感谢您为工单 #77 评分。');
  });

  it('tells a waiting customer their place in the queue once, and nothing for notes', async () => {
    const waiting = (position: number): TicketEvent => ({ ...event('ticket.waiting', 't32', { language: 'en' }), eventId: `waiting-${position}`, message: undefined, routing: { queuePosition: position, expectedWaitSeconds: 600, explanation: [] } });
    const update = await one(waiting(3));
    expect(update).toMatchObject({ kind: 'queue_update', text: expect.stringMatching(/number 3 in the queue.*about 10 min/) });
    expect((await one(waiting(2))).notificationId).toBe(update.notificationId);
    // Without an estimate (no agent on, no recent assignments) there is nothing worth an extra message.
    expect(await useCase.execute({ ...waiting(1), ticket: { ...waiting(1).ticket, id: 't32b' }, routing: { queuePosition: 1, explanation: [] } }, new Date())).toEqual([]);
    expect(await useCase.execute({ ...event('ticket.note_added', 't32'), reply: { messageId: 'n1', agentId: 'putri', text: 'internal' } }, new Date())).toEqual([]);
    // An answered event without the answer (an older router's) has nothing to thank for.
    expect(await useCase.execute(event('ticket.survey_answered', 't32'), new Date())).toEqual([]);
  });

  it('answers in the language the person chose over the detected one', async () => {
    expect((await one(event('ticket.opened', 't33', { language: 'id', preferredLanguage: 'zh' }))).text).toContain('工单号是 #77');
  });
});
