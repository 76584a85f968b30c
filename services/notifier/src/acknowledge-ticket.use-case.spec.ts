import { Connection } from 'mongoose';
import { outboundMessageSchema, TicketEvent } from '@switchboard/contracts';
import { NotificationRepository, openMongo } from '@switchboard/persistence';
import { testInfra, uniqueName } from '@switchboard/testing';
import { AcknowledgeTicketUseCase } from './acknowledge-ticket.use-case';

const event = (type: TicketEvent['type'], ticketId: string, language: TicketEvent['ticket']['language'] = 'zh'): TicketEvent => ({
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
    language,
    urgency: [],
    channel: 'inapp',
    contact: { channel: 'inapp', address: 'li' },
    contactKey: 'inapp::li',
    openedAt: '2026-11-24T08:00:00.000Z',
  },
  messageId: 'm1',
  causationId: 'm1',
  occurredAt: '2026-11-24T08:00:00.000Z',
});

describe('AcknowledgeTicketUseCase against a real MongoDB-wire server', () => {
  const infra = testInfra();
  let connection: Connection;
  let notifications: NotificationRepository;
  let useCase: AcknowledgeTicketUseCase;

  beforeAll(async () => {
    connection = await openMongo({ url: infra.mongoUrl, dbName: uniqueName('notifier').replace(/-/g, '_') });
    notifications = new NotificationRepository(connection);
    await notifications.ensureIndexes();
    useCase = new AcknowledgeTicketUseCase(notifications);
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('acknowledges an opened ticket in the customer’s language, on their channel', async () => {
    const outbound = outboundMessageSchema.parse(await useCase.execute(event('ticket.opened', 't1'), new Date()));
    expect(outbound).toMatchObject({ channel: 'inapp', language: 'zh', ticketNumber: 77 });
    expect(outbound.text).toContain('工单号是 #77');
    expect(await notifications.model.countDocuments({ ticketId: 't1' })).toBe(1);
  });

  it('sends the same notification again, not a new one, when the event is redelivered', async () => {
    const first = await useCase.execute(event('ticket.opened', 't2'), new Date());
    const again = await useCase.execute(event('ticket.opened', 't2'), new Date());
    expect(again?.notificationId).toBe(first?.notificationId);
    expect(again?.eventId).toBe(first?.eventId);
    expect(await notifications.model.countDocuments({ ticketId: 't2' })).toBe(1);
  });

  it('stays quiet on follow-up messages', async () => {
    expect(await useCase.execute(event('ticket.message_added', 't3'), new Date())).toBeNull();
  });

  it('records delivery receipts, and ignores receipts for unknown notifications', async () => {
    const outbound = await useCase.execute(event('ticket.opened', 't4'), new Date());
    if (!outbound) throw new Error('expected an acknowledgement');
    expect(await notifications.recordDelivery(outbound.notificationId, { status: 'delivered', at: new Date() })).toBe(true);
    expect(await notifications.recordDelivery('nope', { status: 'delivered', at: new Date() })).toBe(false);
    expect((await notifications.model.findById(outbound.notificationId).lean())?.status).toBe('delivered');
  });

  it('keeps the furthest status when a provider reports out of order, with its message id and error code', async () => {
    const outbound = await useCase.execute(event('ticket.opened', 't5'), new Date());
    if (!outbound) throw new Error('expected an acknowledgement');
    const id = outbound.notificationId;
    await notifications.recordDelivery(id, { status: 'delivered', at: new Date('2026-11-29T10:00:02Z'), providerMessageId: 'SM1' });
    await notifications.recordDelivery(id, { status: 'sent', at: new Date('2026-11-29T10:00:01Z'), providerMessageId: 'SM1' });
    let stored = await notifications.model.findById(id).lean();
    expect(stored).toMatchObject({ status: 'delivered', providerMessageId: 'SM1' });
    expect(stored?.deliveries.map((d) => d.status)).toEqual(['delivered', 'sent']);

    const failing = await useCase.execute(event('ticket.opened', 't6'), new Date());
    if (!failing) throw new Error('expected an acknowledgement');
    await notifications.recordDelivery(failing.notificationId, { status: 'sent', at: new Date(), providerMessageId: 'SM2' });
    await notifications.recordDelivery(failing.notificationId, { status: 'undelivered', at: new Date(), errorCode: '30003', error: 'Unreachable destination handset' });
    stored = await notifications.model.findById(failing.notificationId).lean();
    expect(stored).toMatchObject({ status: 'undelivered', providerMessageId: 'SM2', errorCode: '30003' });
  });
});
