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
    expect(await notifications.recordDelivery(outbound.notificationId, 'delivered', new Date())).toBe(true);
    expect(await notifications.recordDelivery('nope', 'delivered', new Date())).toBe(false);
    expect((await notifications.model.findById(outbound.notificationId).lean())?.status).toBe('delivered');
  });
});
